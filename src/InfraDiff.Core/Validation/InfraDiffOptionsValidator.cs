using Microsoft.Extensions.Options;

namespace InfraDiff.Validation;

/// <summary>Validates infradiff's options inside the options pattern: every problem, each naming its option.</summary>
internal sealed class InfraDiffOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, IValidatedOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().Select(p => p.Message).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
