namespace LeadPortal.Accounts;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Sales = "Sales";

    public static readonly string[] All = [Admin, Sales];

    /// <summary>For [Authorize(Roles = ...)] on pages Sales and Admin both use.</summary>
    public const string Staff = Admin + "," + Sales;
}
