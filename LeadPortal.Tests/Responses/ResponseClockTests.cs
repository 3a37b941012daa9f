using System.Globalization;
using LeadPortal.Responses;

namespace LeadPortal.Tests.Responses;

/// <summary>Due times as table tests with pinned instants, across daylight-saving changes (Europe/Stockholm: 29 Mar and 25 Oct 2026).</summary>
public sealed class ResponseClockTests
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>Stockholm's local wall time as UTC.</summary>
    private static DateTime Local(string local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Stockholm);

    private static string InStockholm(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, Stockholm).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static ResponseClock Clock(Action<ResponseClockSettings>? change = null)
    {
        var settings = new ResponseClockSettings { Calendar = { TimeZone = "Europe/Stockholm" } };
        change?.Invoke(settings);
        return ResponseClock.From(settings);
    }

    [Theory]
    // 24 wall-clock hours are 24 elapsed hours: across the spring change the local time moves on an hour, across the autumn one back.
    [InlineData("2026-03-28 12:00", "2026-03-29 13:00")]
    [InlineData("2026-10-24 12:00", "2026-10-25 11:00")]
    [InlineData("2026-12-05 23:30", "2026-12-06 23:30")]
    public void Contact_me_is_due_24_elapsed_hours_after_it_arrived(string arrived, string due)
    {
        Assert.Equal(due, InStockholm(Clock().DueAt("PLT", false, Local(arrived))!.Value));
    }

    [Theory]
    // Working days 09:00–17:00 in Stockholm: 3 business days are 24 working hours.
    [InlineData("2026-12-07 10:00", "2026-12-10 10:00")] // Monday morning: Thursday at the same time
    [InlineData("2026-12-04 16:00", "2026-12-09 16:00")] // Friday 16:00: one hour Friday, Monday, Tuesday, seven hours Wednesday
    [InlineData("2026-12-05 11:00", "2026-12-09 17:00")] // Saturday: counted from Monday's opening, the end of Wednesday
    [InlineData("2026-12-07 20:00", "2026-12-10 17:00")] // after hours: from Tuesday's opening
    [InlineData("2026-03-26 10:00", "2026-03-31 10:00")] // across spring forward (Sunday 29 March): still 10:00 local
    [InlineData("2026-10-22 15:30", "2026-10-27 15:30")] // across fall back (Sunday 25 October)
    public void Other_actions_are_due_after_three_business_days_in_the_calendars_zone(string arrived, string due)
    {
        Assert.Equal(due, InStockholm(Clock().DueAt("INS", false, Local(arrived))!.Value));
    }

    [Fact]
    public void A_business_day_keeps_its_local_hours_on_both_sides_of_a_dst_change_so_it_lasts_eight_real_hours()
    {
        var clock = Clock();
        // Friday 27 March 17:00 (UTC+1) plus 8 working hours is Monday 30 March 17:00 (UTC+2): 72 h − 1 h of real time later.
        var friday = Local("2026-03-27 17:00");
        var due = clock.AddBusinessTime(friday, TimeSpan.FromHours(8));
        Assert.Equal("2026-03-30 17:00", InStockholm(due));
        Assert.Equal(TimeSpan.FromHours(71), due - friday);
    }

    [Fact]
    public void Holidays_and_days_off_do_not_count()
    {
        var clock = Clock(s => s.Calendar.Holidays = [new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)]);
        // Wednesday 23 Dec 12:00: 5 h that day, Thursday and Friday are holidays, then Monday 8 h, Tuesday 8 h, Wednesday 3 h.
        Assert.Equal("2026-12-30 12:00", InStockholm(clock.DueAt("StartTestDrive", false, Local("2026-12-23 12:00"))!.Value));
    }

    [Fact]
    public void Contact_me_in_business_hours_counts_24_working_hours()
    {
        var clock = Clock(s => s.ContactMeInBusinessHours = true);
        Assert.Equal("2026-12-10 10:00", InStockholm(clock.DueAt("PLT", false, Local("2026-12-07 10:00"))!.Value));
    }

    [Theory]
    [InlineData("2026-03-28 10:00", "2026-03-31 10:00")] // 3 calendar days across spring forward: 71 real hours, the same local time
    [InlineData("2026-10-24 10:00", "2026-10-27 10:00")]
    public void Calendar_days_keep_the_local_time_across_a_dst_change(string arrived, string due)
    {
        var clock = Clock(s => s.OtherInBusinessDays = false);
        Assert.Equal(due, InStockholm(clock.DueAt("Create", false, Local(arrived))!.Value));
    }

    [Fact]
    public void An_opening_time_inside_the_spring_forward_gap_counts_from_the_end_of_the_gap()
    {
        // A calendar that opens at 02:30, on the Sunday the clocks jump from 02:00 to 03:00.
        var clock = Clock(s =>
        {
            s.Calendar.WorkDays = [DayOfWeek.Sunday];
            s.Calendar.Opens = new TimeOnly(2, 30);
            s.Calendar.Closes = new TimeOnly(4, 0);
        });
        Assert.Equal("2026-03-29 03:30", InStockholm(clock.AddBusinessTime(Local("2026-03-28 12:00"), TimeSpan.FromMinutes(30))));
    }

    [Theory]
    [InlineData("DNC", false)]
    [InlineData("PLT", true)]
    [InlineData("SomethingNew", false)]
    [InlineData(null, false)]
    public void Do_not_contact_test_and_unknown_leads_run_no_clock(string? action, bool isTest)
    {
        Assert.Null(Clock().DueAt(action, isTest, Local("2026-12-07 10:00")));
    }

    [Fact]
    public void Partner_center_expires_a_contact_me_lead_14_days_after_it_arrived()
    {
        var arrived = Local("2026-03-20 12:00");
        Assert.Equal(arrived.AddDays(14), ResponseClock.PartnerCenterExpiresAt("PLT", false, arrived));
        Assert.Null(ResponseClock.PartnerCenterExpiresAt("INS", false, arrived));
        Assert.Null(ResponseClock.PartnerCenterExpiresAt("PLT", true, arrived));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_with_a_sentence_each()
    {
        var settings = new ResponseClockSettings
        {
            ContactMeHours = 0,
            OtherDays = 61,
            Calendar = { WorkDays = [], Opens = new TimeOnly(17, 0), Closes = new TimeOnly(9, 0), TimeZone = "Mars/Olympus_Mons" },
        };

        Assert.Equal(
        [
            "Contact me: the response is due after 1 to 336 hours (Partner Center expires the lead after 14 days); 0 is out of range.",
            "Other actions: the response is due after 1 to 60 days; 61 is out of range.",
            "Business hours: pick at least one work day.",
            "Business hours: the day must close after it opens (17:00 to 09:00 is not a working day).",
            "Business hours: \"Mars/Olympus_Mons\" is not a time zone this server knows; use an IANA name such as Europe/Stockholm or UTC.",
        ], settings.Problems());
        Assert.Throws<ArgumentException>(() => ResponseClock.From(settings));
    }

    [Fact]
    public void Holidays_are_read_from_lines_and_a_bad_one_is_named()
    {
        var (days, problems) = BusinessCalendar.ParseHolidays("2026-12-25\n2026-12-24, 2026-12-25\n24/12");
        Assert.Equal([new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)], days);
        Assert.Equal(["Holidays: \"24/12\" is not a day written yyyy-MM-dd (e.g. 2026-12-24)."], problems);
    }

    [Theory]
    [InlineData(24 * 60 - 0.5, "due in 24 h", DueState.Running)]
    [InlineData(3 * 60, "due in 3 h", DueState.Soon)]
    [InlineData(45, "due in 45 min", DueState.Soon)]
    [InlineData(5 * 24 * 60, "due in 5 d", DueState.Running)]
    [InlineData(-(5 * 60 + 30), "overdue 5 h", DueState.Overdue)]
    [InlineData(-0.5, "overdue 1 min", DueState.Overdue)]
    [InlineData(-3 * 24 * 60, "overdue 3 d", DueState.Overdue)]
    public void A_running_clock_reads_in_words(double minutesLeft, string text, DueState state)
    {
        var now = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
        var label = DueLabel.For(now.AddMinutes(minutesLeft), null, now);
        Assert.Equal(new DueLabel(text, state), label);
    }

    [Fact]
    public void An_answered_lead_shows_no_running_clock()
    {
        var now = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
        Assert.Null(DueLabel.For(now.AddHours(-2), now.AddHours(-3), now));
        Assert.Null(DueLabel.Expiry(now.AddDays(2), now.AddHours(-3), now, out _));
        Assert.Equal("expires in 2 d", DueLabel.Expiry(now.AddDays(2.5), null, now, out var soon));
        Assert.True(soon);
        Assert.Equal("expired in Partner Center", DueLabel.Expiry(now.AddDays(-1), null, now, out _));
    }
}
