using System.Text;

namespace LeadPortal.Mapping;

/// <summary>A parsed column template: literal text and <c>{Field}</c> placeholders; <c>{{</c> and <c>}}</c> are literal braces.</summary>
internal sealed class CompiledTemplate
{
    private readonly TemplatePart[] _parts;

    private CompiledTemplate(TemplatePart[] parts) => _parts = parts;

    /// <summary>Parses a template, or says what is wrong with it.</summary>
    public static CompiledTemplate? Parse(string template, out string? error)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                literal.Append('{');
                i += 2;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                literal.Append('}');
                i += 2;
            }
            else if (c == '}')
            {
                error = "unmatched } in template (write }} for a literal brace)";
                return null;
            }
            else if (c == '{')
            {
                var close = template.IndexOf('}', i + 1);
                var nextOpen = template.IndexOf('{', i + 1);
                if (close < 0 || (nextOpen >= 0 && nextOpen < close))
                {
                    error = "unclosed { in template (write {{ for a literal brace)";
                    return null;
                }

                var name = template[(i + 1)..close].Trim();
                if (name.Length == 0)
                {
                    error = "empty {} in template";
                    return null;
                }

                if (!LeadFields.TryGet(name, out var field))
                {
                    error = $"unknown field {{{name}}} in template";
                    return null;
                }

                if (literal.Length > 0)
                {
                    parts.Add(new TemplatePart(literal.ToString(), null));
                    literal.Clear();
                }

                parts.Add(new TemplatePart(null, field));
                i = close + 1;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(literal.ToString(), null));
        }

        error = null;
        return new CompiledTemplate([.. parts]);
    }

    public string Render(LeadRow row, DateRendering dates)
    {
        if (_parts.Length == 1)
        {
            return _parts[0].Literal ?? _parts[0].Field!.Read(row, dates) ?? "";
        }

        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part.Literal ?? part.Field!.Read(row, dates));
        }

        return text.ToString();
    }
}
