using LeadPortal.Intake;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LeadPortal.Notifications;

/// <summary>Absolute links into the portal for mail: the configured public address, else the address the app listens on.</summary>
public sealed class PortalLinks(IOptions<NotificationOptions> notifications, IOptions<IntakeOptions> intake, IServer server)
{
    public string BaseUrl
    {
        get
        {
            var configured = notifications.Value.PortalUrl ?? intake.Value.PublicBaseUrl;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured.TrimEnd('/');
            }

            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5255";
            return address.Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost").Replace("://+", "://localhost")
                .Replace("://*", "://localhost").TrimEnd('/');
        }
    }

    public string Lead(long id) => $"{BaseUrl}/leads/{id}";

    public string Page(string path) => BaseUrl + path;
}
