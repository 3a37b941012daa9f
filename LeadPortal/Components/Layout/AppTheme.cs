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
            Primary = "#6ea8ff",
            Secondary = "#9aa7b4",
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
