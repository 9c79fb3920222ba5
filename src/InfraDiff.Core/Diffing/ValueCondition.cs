using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InfraDiff.Diffing;

/// <summary>
/// One compiled condition of a <see cref="SeverityRule.When"/>: "OPERAND OPERATOR LITERAL" over a change's
/// structured old and new values (see <see cref="SeverityRule.When"/> for the language).
/// </summary>
internal sealed class ValueCondition
{
    private static readonly string[] Operators = ["!&", "!~", "=~", "==", "!=", "&"];

    private readonly string side;
    private readonly string[] fields;
    private readonly string op;
    private readonly string literal;
    private readonly Regex? regex;
    private readonly int bits;

    private ValueCondition(string side, string[] fields, string op, string literal)
    {
        this.side = side;
        this.fields = fields;
        this.op = op;
        this.literal = literal;
        if (op is "=~" or "!~")
        {
            regex = new Regex(literal, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        else if (op is "&" or "!&")
        {
            bits = Convert.ToInt32(literal, 8);
        }
    }

    /// <summary>Compiles "new.mode &amp; 4000"; a malformed condition is a <see cref="FormatException"/> saying what is wrong.</summary>
    public static ValueCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var op in Operators)
        {
            var at = text.IndexOf(" " + op + " ", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var operand = text[..at].Trim();
            var literal = Unquote(text[(at + op.Length + 2)..].Trim());
            var parts = operand.Split('.');
            if (parts[0] is not ("old" or "new" or "path") || (parts[0] == "path" && parts.Length > 1) || parts.Any(p => p.Length == 0))
            {
                throw new FormatException($"condition '{text}': the operand must be old, new, old.FIELD, new.FIELD or path");
            }

            try
            {
                return new ValueCondition(parts[0], parts[1..], op, literal);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"condition '{text}': {ex.Message}", ex);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"condition '{text}': '{literal}' is not an octal mode", ex);
            }
        }

        throw new FormatException($"condition '{text}': expected 'OPERAND OPERATOR VALUE' with one of {string.Join(' ', Operators)} between spaces");
    }

    public bool Holds(string path, JsonElement oldValue, JsonElement newValue)
    {
        var text = side == "path" ? path : Text(Field(side == "old" ? oldValue : newValue));
        return op switch
        {
            "==" => text == literal,
            "!=" => text != literal,
            "=~" => text is not null && regex!.IsMatch(text),
            "!~" => text is null || !regex!.IsMatch(text),
            "&" => Mode(text) is { } mode && (mode & bits) != 0,
            _ => Mode(text) is not { } m || (m & bits) == 0,
        };
    }

    private JsonElement Field(JsonElement value)
    {
        foreach (var field in fields)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(field, out value))
            {
                return default;
            }
        }

        return value;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    private static int? Mode(string? text)
    {
        if (text is null || text.Length is 0 or > 7 || text.Any(c => c is < '0' or > '7'))
        {
            return null;
        }

        return Convert.ToInt32(text, 8);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{side}{string.Concat(fields.Select(f => "." + f))} {op} {literal}");
}
