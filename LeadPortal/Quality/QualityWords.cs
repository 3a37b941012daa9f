using LeadPortal.Shared;
using MudBlazor;

namespace LeadPortal.Quality;

/// <summary>A rating as people read it: its word, what it means, its colour and icon (never the colour alone).</summary>
public static class QualityWords
{
    public static string Rating(QualityRating rating) => rating switch
    {
        QualityRating.High => "High",
        QualityRating.Medium => "Medium",
        QualityRating.Low => "Low",
        _ => "Not rated yet",
    };

    public static string Meaning(QualityRating rating) => rating switch
    {
        QualityRating.High => "Nothing speaks against this lead.",
        QualityRating.Medium => "Worth a look, with something missing or doubtful.",
        QualityRating.Low => "Probably not a buyer: potential spam, a test, or do not contact.",
        _ => "Rated seconds after arrival; a lead stored before ratings existed is rated by the quality backfill.",
    };

    public static Color Colour(QualityRating rating) => rating switch
    {
        QualityRating.High => Color.Success,
        QualityRating.Medium => Color.Warning,
        QualityRating.Low => Color.Error,
        _ => Color.Default,
    };

    public static string Icon(QualityRating rating) => rating switch
    {
        QualityRating.High => Icons.Material.Filled.Verified,
        QualityRating.Medium => Icons.Material.Filled.ReportProblem,
        QualityRating.Low => Icons.Material.Filled.GppBad,
        _ => Icons.Material.Filled.HourglassEmpty,
    };

    /// <summary>The ratings in the order filters and panels list them, best first.</summary>
    public static readonly QualityRating[] Order = [QualityRating.High, QualityRating.Medium, QualityRating.Low, QualityRating.Unrated];
}
