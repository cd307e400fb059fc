namespace PayTrack.Web.Data;

/// <summary>One ASP.NET Core Data Protection key, kept in PostgreSQL so every node and every restart can read it.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public required string FriendlyName { get; set; }

    public required string Xml { get; set; }
}
