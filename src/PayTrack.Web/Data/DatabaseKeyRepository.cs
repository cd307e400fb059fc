using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace PayTrack.Web.Data;

/// <summary>
/// Stores Data Protection keys in PostgreSQL (the package that does this is not on our NuGet source).
/// Keys protect sign-in cookies and the Kronos passwords, so every node and every restart must share them; each is
/// stored wrapped with the key ring secret (<see cref="KeyRingEncryptor"/>), never in clear.
/// </summary>
internal sealed class DatabaseKeyRepository(IDbContextFactory<PayTrackDbContext> contexts) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = contexts.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = contexts.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
