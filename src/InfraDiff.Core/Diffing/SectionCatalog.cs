using InfraDiff.Pipeline;
using InfraDiff.Sections;

namespace InfraDiff.Diffing;

/// <summary>The sections a comparison knows the meaning of: the built-in ones, with those a caller declares added or put in their place.</summary>
internal sealed class SectionCatalog
{
    private readonly Dictionary<string, SectionDescriptor> byName = new(StringComparer.Ordinal);

    public SectionCatalog(IEnumerable<SectionDescriptor> sections)
    {
        foreach (var section in BuiltInSections.Descriptors)
        {
            byName[section.Name] = section;
        }

        foreach (var section in sections.Where(s => s.Declared))
        {
            if (!BuiltInSections.Descriptors.Contains(section))
            {
                section.Validate();
            }

            byName[section.Name] = section;
        }
    }

    /// <summary>Whether <paramref name="name"/> is a built-in section or one a caller declared.</summary>
    public bool Declares(string name) => byName.TryGetValue(name, out var section) && section.Declared;

    /// <summary>The section named <paramref name="name"/>; one nobody declared has no nouns, no rules and no parts.</summary>
    public SectionDescriptor this[string name]
    {
        get
        {
            if (!byName.TryGetValue(name, out var section))
            {
                section = byName[name] = SectionDescriptor.Undeclared(name);
            }

            return section;
        }
    }

    /// <summary>Every section's default severity rules, the built-in sections' in their documented order.</summary>
    public IEnumerable<SeverityRule> DefaultSeverityRules => byName.Values.SelectMany(s => s.SeverityRules);
}
