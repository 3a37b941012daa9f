using MudBlazor;

namespace LeadPortal.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fbf",
            Secondary = "#5c6b7a",
            AppbarBackground = "#1f5fbf",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
            // Darker than MudBlazor's defaults so chip text (outlined, or on the colour's own light tint) and white
            // text on filled chips both reach WCAG AA's 4.5:1; a browser test computes it.
            Info = "#0a5fb4",
            Success = "#1a7333",
            Warning = "#9a4f00",
            Error = "#b3261e",
            Tertiary = "#00695c",
        },
        PaletteDark = new PaletteDark
        {
            // Light colours on the dark surfaces, so text in them (links, outlined chips) is readable; filled buttons and
            // chips carry dark text on them instead of MudBlazor's white, which fails 4.5:1 on a light colour. The
            // accessibility browser test checks every page in this theme too.
            Primary = "#6ea8ff",
            PrimaryContrastText = "#0d1b2e",
            Secondary = "#9aa7b4",
            SecondaryContrastText = "#12161d",
            Info = "#64b5f6",
            InfoContrastText = "#0d1b2e",
            Success = "#5cc97b",
            SuccessContrastText = "#0b1f10",
            Warning = "#ffb74d",
            WarningContrastText = "#2b1a00",
            Error = "#ff8a80",
            ErrorContrastText = "#2d0a07",
            Tertiary = "#4db6ac",
            TertiaryContrastText = "#00201c",
            AppbarBackground = "#1b2330",
            Background = "#12161d",
            Surface = "#1b2330",
            DrawerBackground = "#161c25",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };
}
