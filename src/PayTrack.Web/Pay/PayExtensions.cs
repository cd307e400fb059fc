using Microsoft.Extensions.Options;

namespace PayTrack.Web.Pay;

public static class PayExtensions
{
    /// <summary>
    /// Binds <see cref="PayOptions"/> from <c>PayTrack:Pay</c>: the settings of users who have not chosen their own.
    /// The pay rules themselves are plain classes built per user (<see cref="PayCalculator"/>), not services.
    /// </summary>
    public static WebApplicationBuilder AddPay(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PayOptions>().BindConfiguration(PayOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PayOptions>, PayOptionsValidator>();
        builder.Services.AddSingleton<PaySettingsStore>();
        builder.Services.AddSingleton<StudentPayStore>();
        return builder;
    }

    private sealed class PayOptionsValidator : IValidateOptions<PayOptions>
    {
        public ValidateOptionsResult Validate(string? name, PayOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{PayOptions.Section}: {e}"));
        }
    }
}
