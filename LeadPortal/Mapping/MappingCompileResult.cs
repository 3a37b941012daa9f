using System.Diagnostics.CodeAnalysis;

namespace LeadPortal.Mapping;

/// <summary>Either a <see cref="CompiledMapping"/> or the readable reasons the profile cannot be used.</summary>
public sealed class MappingCompileResult
{
    private MappingCompileResult(CompiledMapping? mapping, IReadOnlyList<string> errors)
    {
        Mapping = mapping;
        Errors = errors;
    }

    public CompiledMapping? Mapping { get; }

    /// <summary>One sentence per problem, such as <c>Column 3 ("Topic"): unknown field {OfferName} in template</c>.</summary>
    public IReadOnlyList<string> Errors { get; }

    [MemberNotNullWhen(true, nameof(Mapping))]
    public bool Succeeded => Mapping is not null;

    internal static MappingCompileResult Success(CompiledMapping mapping) => new(mapping, []);

    internal static MappingCompileResult Failure(IReadOnlyList<string> errors) => new(null, errors);
}
