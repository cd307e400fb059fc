using System.Diagnostics.CodeAnalysis;

namespace PayTrack.Web.Data;

/// <summary>What became of an action a user asked for; every kind but <see cref="Done"/> comes with a message in plain words.</summary>
public enum OutcomeKind
{
    Done,

    /// <summary>What the user typed or sent cannot be used; the message says what to change.</summary>
    Invalid,

    /// <summary>There is no such thing of this user's (a shift, a rate, a connection...).</summary>
    NotFound,

    /// <summary>Not now: the same is already running, or the user asked too often; nothing was done twice.</summary>
    Busy,

    /// <summary>Not allowed as things are (a password Kronos rejected, an out time the timecard already has).</summary>
    Refused,

    /// <summary>Another system (Kronos, Notion) or the store could not do it; trying again later may help.</summary>
    Failed,
}

/// <summary>
/// The one shape of a user-facing outcome (decision 0028): done, or not done with one sentence for the person who asked.
/// A success may carry words too ("Signed in to Kronos as ..."). Expected outcomes are values, never exceptions.
/// </summary>
public sealed record Outcome(OutcomeKind Kind, string? Message)
{
    [MemberNotNullWhen(false, nameof(Message))]
    public bool Succeeded => Kind == OutcomeKind.Done;

    public static Outcome Ok(string? message = null) => new(OutcomeKind.Done, message);

    public static Outcome Invalid(string message) => Not(OutcomeKind.Invalid, message);

    public static Outcome NotFound(string message) => Not(OutcomeKind.NotFound, message);

    public static Outcome Busy(string message) => Not(OutcomeKind.Busy, message);

    public static Outcome Refused(string message) => Not(OutcomeKind.Refused, message);

    public static Outcome Failed(string message) => Not(OutcomeKind.Failed, message);

    /// <summary>A success with the value it made (the new shift's id, the created token). Named apart from
    /// <see cref="Ok"/> so that a string value is never taken for a message.</summary>
    public static Outcome<T> Of<T>(T value, string? message = null) => new(OutcomeKind.Done, message, value);

    /// <summary>This failure, as the failure of an action that would have made a value; <paramref name="value"/> may say more (the run already going).</summary>
    public Outcome<T> As<T>(T? value = default) =>
        Succeeded ? throw new InvalidOperationException("Only a failure changes its value's type.") : new(Kind, Message, value);

    private static Outcome Not(OutcomeKind kind, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new Outcome(kind, message);
    }
}

/// <summary>An <see cref="Outcome"/> that carries the value the action made.</summary>
public sealed record Outcome<T>(OutcomeKind Kind, string? Message, T? Value)
{
    [MemberNotNullWhen(false, nameof(Message))]
    public bool Succeeded => Kind == OutcomeKind.Done;

    /// <summary>The same outcome without its value.</summary>
    public Outcome WithoutValue() => new(Kind, Message);

    public static implicit operator Outcome<T>(Outcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.As<T>();
    }
}
