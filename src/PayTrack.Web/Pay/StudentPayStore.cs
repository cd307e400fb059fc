using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Pay;

/// <summary>A term, award or stub as its owner lists them.</summary>
public sealed record TermInfo(long Id, string Name, DateOnly FirstDay, DateOnly LastDay);

public sealed record AwardInfo(long Id, string Name, decimal Amount, DateOnly Start, DateOnly End, IReadOnlyList<long> JobIds);

public sealed record StubInfo(long Id, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Hours, decimal GrossPay);

/// <summary>The changes <c>pay set</c> and the settings page make; null leaves a value as it is.</summary>
public sealed record StudentPayChanges(OvertimeRule? OvertimeRule = null, decimal? BreakCapHours = null, bool? FicaStudentExempt = null, decimal? WithholdingPercent = null);

/// <summary>
/// The owner of a user's student-pay settings, terms, work-study awards and pay stubs: it saves them, lists them, and
/// gives a page the relation of the settings and terms (<see cref="SettingsAndTermsSql"/>) and the statement reading the awards
/// (<see cref="AddAwardsRead"/>; decision 0030).
/// Every method takes the owner's id and touches only that user's rows; bad input comes back as one sentence and
/// nothing is saved.
/// </summary>
public sealed class StudentPayStore(IDbContextFactory<PayTrackDbContext> contexts, NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int MaxTermsPerUser = 100;
    public const int MaxAwardsPerUser = 50;
    public const int MaxStubsPerUser = 500;

    /// <summary>
    /// The user's ($1) student-pay settings and terms: one row even when the user has neither, the terms as arrays,
    /// aggregated once. A relation another statement may join (<see cref="ReadSettingsAndTerms"/> reads its columns).
    /// </summary>
    public const string SettingsAndTermsSql = """
        SELECT sp.overtime_rule, sp.break_cap_hours, sp.fica_student_exempt, sp.withholding_percent, tm.names, tm.firsts, tm.lasts
        FROM (SELECT $1::text AS user_id) u
        LEFT JOIN student_pay_settings sp ON sp.user_id = u.user_id
        CROSS JOIN LATERAL (
            SELECT array_agg(t.name ORDER BY t.first_day) AS names, array_agg(t.first_day ORDER BY t.first_day) AS firsts,
                   array_agg(t.last_day ORDER BY t.first_day) AS lasts
            FROM terms t WHERE t.user_id = u.user_id) tm
        """;

    /// <summary>
    /// Reads the columns of <see cref="SettingsAndTermsSql"/> in the current row, from its column <paramref name="first"/>
    /// on: <paramref name="options"/> with the user's student-pay settings (as they are when the user saved none), and
    /// their terms.
    /// </summary>
    public static (PayOptions Options, TermCalendar Terms) ReadSettingsAndTerms(NpgsqlDataReader reader, int first, PayOptions options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        if (!reader.IsDBNull(first))
        {
            options = options with
            {
                OvertimeRule = DbNames.Parse<OvertimeRule>(reader.GetString(first)),
                BreakCapHours = reader.GetDecimal(first + 1),
                FicaStudentExempt = reader.GetBoolean(first + 2),
                WithholdingPercent = reader.GetDecimal(first + 3),
            };
        }

        var terms = reader.IsDBNull(first + 4)
            ? TermCalendar.None
            : new TermCalendar(reader.GetFieldValue<string[]>(first + 4)
                .Zip(reader.GetFieldValue<DateOnly[]>(first + 5), reader.GetFieldValue<DateOnly[]>(first + 6))
                .Select(t => new Term(t.First, t.Second, t.Third)));
        return (options, terms);
    }

    /// <summary>Applies <paramref name="changes"/> over the user's current values (<paramref name="current"/> when they have no row).</summary>
    public async Task<Outcome> SaveSettingsAsync(string userId, PayOptions current, StudentPayChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        var next = current with
        {
            OvertimeRule = changes.OvertimeRule ?? current.OvertimeRule,
            BreakCapHours = changes.BreakCapHours ?? current.BreakCapHours,
            FicaStudentExempt = changes.FicaStudentExempt ?? current.FicaStudentExempt,
            WithholdingPercent = changes.WithholdingPercent ?? current.WithholdingPercent,
        };
        var errors = next.Validate();
        if (errors.Count > 0)
        {
            return Outcome.Invalid(string.Join(" ", errors));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<StudentPaySettings>().FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (row is null)
        {
            row = new StudentPaySettings { UserId = userId };
            db.Add(row);
        }

        row.OvertimeRule = next.OvertimeRule;
        row.BreakCapHours = next.BreakCapHours;
        row.FicaStudentExempt = next.FicaStudentExempt;
        row.WithholdingPercent = next.WithholdingPercent;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok();
    }

    public async Task<Outcome<TermInfo>> AddTermAsync(string userId, string? name, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (Term.Problem(name, firstDay, lastDay) is { } problem)
        {
            return Outcome.Invalid(problem);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var terms = db.Set<UserTerm>().Where(t => t.UserId == userId);
        if (await terms.CountAsync(cancellationToken) >= MaxTermsPerUser)
        {
            return Outcome.Refused($"You have {MaxTermsPerUser} terms already; remove old ones first.");
        }

        var overlap = await terms.Where(t => t.FirstDay <= lastDay && firstDay <= t.LastDay).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
        if (overlap is not null)
        {
            return Outcome.Invalid($"That term overlaps {overlap}; terms cannot share days.");
        }

        var row = new UserTerm { UserId = userId, Name = name!, FirstDay = firstDay, LastDay = lastDay, CreatedAt = clock.GetUtcNow() };
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Of(new TermInfo(row.Id, row.Name, row.FirstDay, row.LastDay));
    }

    public async Task<IReadOnlyList<TermInfo>> ListTermsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<UserTerm>().AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.FirstDay)
            .Select(t => new TermInfo(t.Id, t.Name, t.FirstDay, t.LastDay)).ToListAsync(cancellationToken);
    }

    public async Task<Outcome> RemoveTermAsync(string userId, long termId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<UserTerm>().Where(t => t.Id == termId && t.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0
            ? Outcome.Ok()
            : Outcome.NotFound("There is no such term of yours.");
    }

    public async Task<Outcome> AddAwardAsync(string userId, string? name, decimal amount, DateOnly start, DateOnly end, IReadOnlyCollection<long> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        name = name?.Trim();
        if (WorkStudyAward.Problem(name, amount, start, end, jobIds.Count) is { } problem)
        {
            return Outcome.Invalid(problem);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = jobIds.Distinct().ToArray();
        if (await db.Jobs.CountAsync(j => ids.Contains(j.Id) && j.UserId == userId, cancellationToken) != ids.Length)
        {
            return Outcome.NotFound("Choose jobs of your own for the award.");
        }

        if (await db.Set<UserWorkStudyAward>().CountAsync(a => a.UserId == userId, cancellationToken) >= MaxAwardsPerUser)
        {
            return Outcome.Refused($"You have {MaxAwardsPerUser} awards already; remove old ones first.");
        }

        db.Add(new UserWorkStudyAward { UserId = userId, Name = name!, Amount = amount, StartDate = start, EndDate = end, JobIds = ids, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok();
    }

    /// <summary>
    /// The user's awards, oldest first. Every open dashboard reads them on every render, so this is one statement on the
    /// shared data source (prepared after its second use) rather than an EF Core query, which cost several times the CPU.
    /// </summary>
    public async Task<IReadOnlyList<AwardInfo>> ListAwardsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        AddAwardsRead(batch, userId);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadAwardsAsync(reader, cancellationToken);
    }

    /// <summary>Adds the statement listing the user's work-study awards to a batch; <see cref="ReadAwardsAsync"/> reads it.</summary>
    public static void AddAwardsRead(NpgsqlBatch batch, string userId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var command = new NpgsqlBatchCommand("SELECT id, name, amount, start_date, end_date, job_ids FROM work_study_awards WHERE user_id = $1 ORDER BY start_date, id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        batch.BatchCommands.Add(command);
    }

    /// <summary>Reads the result of <see cref="AddAwardsRead"/>: the awards by start date.</summary>
    public static async Task<IReadOnlyList<AwardInfo>> ReadAwardsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var awards = new List<AwardInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            awards.Add(new AwardInfo(
                reader.GetInt64(0), reader.GetString(1), reader.GetDecimal(2),
                reader.GetFieldValue<DateOnly>(3), reader.GetFieldValue<DateOnly>(4), reader.GetFieldValue<long[]>(5)));
        }

        return awards;
    }

    public async Task<Outcome> RemoveAwardAsync(string userId, long awardId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<UserWorkStudyAward>().Where(a => a.Id == awardId && a.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0
            ? Outcome.Ok()
            : Outcome.NotFound("There is no such award of yours.");
    }

    public async Task<Outcome> AddStubAsync(string userId, DateOnly periodStart, DateOnly periodEnd, decimal hours, decimal grossPay, CancellationToken cancellationToken)
    {
        if (PayStub.Problem(periodStart, periodEnd, hours, grossPay) is { } problem)
        {
            return Outcome.Invalid(problem);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Set<UserPayStub>().CountAsync(s => s.UserId == userId, cancellationToken) >= MaxStubsPerUser)
        {
            return Outcome.Refused(string.Create(CultureInfo.InvariantCulture, $"You have {MaxStubsPerUser} pay stubs already; remove old ones first."));
        }

        db.Add(new UserPayStub { UserId = userId, PeriodStart = periodStart, PeriodEnd = periodEnd, Hours = hours, GrossPay = grossPay, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok();
    }

    public async Task<IReadOnlyList<StubInfo>> ListStubsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<UserPayStub>().AsNoTracking().Where(s => s.UserId == userId).OrderByDescending(s => s.PeriodStart).ThenByDescending(s => s.Id)
            .Select(s => new StubInfo(s.Id, s.PeriodStart, s.PeriodEnd, s.Hours, s.GrossPay)).ToListAsync(cancellationToken);
    }

    public async Task<Outcome> RemoveStubAsync(string userId, long stubId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<UserPayStub>().Where(s => s.Id == stubId && s.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0
            ? Outcome.Ok()
            : Outcome.NotFound("There is no such pay stub of yours.");
    }
}
