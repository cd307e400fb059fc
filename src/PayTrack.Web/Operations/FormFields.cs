namespace PayTrack.Web.Operations;

public static class FormFields
{
    /// <summary>
    /// A field of a posted form ("" when the form lacks it); null when the body is not a form PayTrack can read, so an
    /// endpoint answers in words and changes nothing instead of failing with a 500.
    /// </summary>
    public static async Task<string?> ReadAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return (await request.ReadFormAsync(cancellationToken))[name].ToString();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
