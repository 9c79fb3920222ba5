namespace InfraDiff.Validation;

/// <summary>Options that know their own invalid values, so each is checked where it is defined.</summary>
internal interface IValidatedOptions
{
    /// <summary>Every invalid value, as the option's name and the problem.</summary>
    IEnumerable<InvalidOptionException> Problems();
}
