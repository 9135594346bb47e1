//! Dates as pages state them: machine-readable stamps (ISO 8601, RFC 2822, compact,
//! Unix seconds) and written dates in many languages ("13 January 2020", "13. Januar 2020",
//! "13 de enero de 2020", "2020年1月13日", "13.01.2020").
//!
//! Results keep the page's own calendar day: a stamp with an offset is written back as
//! RFC 3339 with that same offset, never converted to UTC.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use regex::Regex;

/// A date with, when the page gave one, a time and its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The calendar day, in the page's own time zone.
    pub date: NaiveDate,
    /// Time of day and offset, when both were given.
    pub time: Option<(NaiveTime, FixedOffset)>,
}

impl Stamp {
    /// A date without time.
    pub fn day(date: NaiveDate) -> Self {
        Stamp { date, time: None }
    }

    /// ISO 8601: `YYYY-MM-DD`, or RFC 3339 with the page's own offset.
    pub fn render(&self) -> String {
        match self.time {
            Some((time, offset)) => {
                let local = NaiveDateTime::new(self.date, time);
                match local.and_local_timezone(offset).single() {
                    Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    None => self.date.format("%Y-%m-%d").to_string(),
                }
            }
            None => self.date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// How to read an all-numeric date such as `03/04/2020` when both readings are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// Day first (`03/04/2020` is 3 April): most of the world.
    DayFirst,
    /// Month first (`03/04/2020` is 4 March): United States English.
    MonthFirst,
}

/// Earliest year taken as a plausible publication year for a web page.
const MIN_YEAR: i32 = 1995;

/// Whether a date could be a web page's publication date: not before the web's news era,
/// not after tomorrow.
pub fn plausible(date: NaiveDate) -> bool {
    let today = Utc::now().date_naive();
    date.year() >= MIN_YEAR && date <= today + chrono::Days::new(1)
}

/// Replaces decimal digits of other scripts (Arabic-Indic, Devanagari, full-width, ...) by
/// ASCII digits, so one set of patterns serves every script.
pub fn ascii_digits(text: &str) -> std::borrow::Cow<'_, str> {
    const ZEROS: [u32; 16] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0E50, 0x0ED0, 0x1040, 0xFF10,
    ];
    let convert = |c: char| -> Option<char> {
        let code = c as u32;
        ZEROS
            .iter()
            .find(|&&zero| code >= zero && code < zero + 10)
            .and_then(|&zero| char::from_digit(code - zero, 10))
    };
    if text.is_ascii() || !text.chars().any(|c| convert(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().map(|c| convert(c).unwrap_or(c)).collect())
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^\s*(\d{4})-(\d{1,2})-(\d{1,2})
          (?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*
             (Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",
    )
    .expect("static regex")
});

static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{4})(\d{2})(\d{2})(?:[T\s]?(\d{2})(\d{2})(\d{2})?)?\s*$")
        .expect("static regex")
});

static UNIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{10})(\d{3})?\s*$").expect("static regex"));

/// Parses a machine-readable date (an attribute or metadata value): ISO 8601 and its
/// common variants, RFC 2822, compact `YYYYMMDD`, Unix seconds or milliseconds; falls back
/// to [`find_written_date`] for free-form values.
pub fn parse_machine_date(value: &str, order: DayOrder) -> Option<Stamp> {
    let value = ascii_digits(value.trim());
    let value = value.as_ref();
    if value.is_empty() || value.len() > 200 {
        return None;
    }
    if let Some(stamp) = parse_iso(value) {
        return Some(stamp).filter(|s| plausible(s.date));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(value) {
        return Some(Stamp {
            date: dt.date_naive(),
            time: Some((dt.time(), *dt.offset())),
        })
        .filter(|s| plausible(s.date));
    }
    if let Some(caps) = COMPACT.captures(value) {
        let date = ymd(&caps[1], &caps[2], &caps[3])?;
        return Some(Stamp::day(date)).filter(|s| plausible(s.date));
    }
    if let Some(caps) = UNIX.captures(value) {
        let seconds: i64 = caps[1].parse().ok()?;
        let dt = DateTime::<Utc>::from_timestamp(seconds, 0)?;
        let stamp = Stamp {
            date: dt.date_naive(),
            time: Some((dt.time(), FixedOffset::east_opt(0)?)),
        };
        return Some(stamp).filter(|s| plausible(s.date));
    }
    find_written_date(value, order).map(|(stamp, _)| stamp)
}

fn parse_iso(value: &str) -> Option<Stamp> {
    let caps = ISO.captures(value)?;
    let date = ymd(&caps[1], &caps[2], &caps[3])?;
    let (Some(hour), Some(minute)) = (caps.get(4), caps.get(5)) else {
        return Some(Stamp::day(date));
    };
    let second = caps.get(6).map_or(Some(0), |s| s.as_str().parse().ok())?;
    let time = NaiveTime::from_hms_opt(
        hour.as_str().parse().ok()?,
        minute.as_str().parse().ok()?,
        second,
    );
    let offset = caps.get(7).and_then(|z| parse_offset(z.as_str()));
    match (time, offset) {
        (Some(time), Some(offset)) => Some(Stamp {
            date,
            time: Some((time, offset)),
        }),
        _ => Some(Stamp::day(date)),
    }
}

fn parse_offset(zone: &str) -> Option<FixedOffset> {
    if matches!(zone, "Z" | "z" | "UTC" | "GMT") {
        return FixedOffset::east_opt(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(0..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

fn year_of(text: &str) -> Option<i32> {
    let year: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(year),
        2 => Some(2000 + year),
        _ => None,
    }
}

/// Month names and abbreviations in the languages news pages are written in, lowercase.
static MONTHS: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(|| {
    const TABLE: [&str; 12] = [
        // Each line: the names of one month, separated by spaces.
        "january jan janvier janv januar jänner jän enero ene gennaio gen janeiro januari janeiro styczeń stycznia leden ledna január januára ianuarie ian ocak tammikuu tammikuuta janar enero január siječanj siječnja sijecnja januar јануар јануара январь января січня січень януари ιανουαρίου ιανουάριος ιαν يناير جانفي كانون_الثاني ژانویه जनवरी જાન્યુઆરી জানুয়ারি جنوری հունվարի հունվար enero jan. sty",
        "february feb febr février févr fév februar febrero febbraio fevereiro fev februari luty lutego únor února február februára februarie feb şubat subat helmikuu helmikuuta shkurt pebrero február veljača veljače veljace februar фебруар фебруара февраль февраля лютого лютий февруари φεβρουαρίου φεβρουάριος φεβ فبراير فيفري شباط فوریه फरवरी फ़रवरी ફેબ્રુઆરી ফেব্রুয়ারি فروری փետրվարի փետրվար",
        "march mar mars märz mär marzo março mar maret maart marzec marca březen března március marec marca martie mart maaliskuu maaliskuuta marso ožujak ožujka ozujka mart март марта мартa марта березня березень μαρτίου μάρτιος μαρ مارس آذار मार्च માર્ચ মার্চ مارچ մարտի մարտ",
        "april apr avril avr abril aprile abr kwiecień kwietnia duben dubna április apríl aprílie aprilie nisan huhtikuu huhtikuuta prill travanj travnja април априла апрель апреля квітня квітень απριλίου απρίλιος απρ أبريل ابريل افريل أفريل نيسان آوریل अप्रैल એપ્રિલ এপ্রিল اپریل ապրիլի ապրիլ",
        "may mai mayo maggio maio mei maj maja květen května május máj mája mayıs mayis toukokuu toukokuuta svibanj svibnja мај маја май мая травня травень μαΐου μαΐος μαϊου μάιος مايو ماي أيار ایار مه मई મે মে مئی մայիսի մայիս",
        "june jun juin juni junio giugno junho juni czerwiec czerwca červen června június jún júna iunie haziran kesäkuu kesäkuuta qershor hunyo lipanj lipnja јун јуна јуни июнь июня червня червень юни ιουνίου ιούνιος ιουν يونيو جوان حزيران ژوئن जून જૂન জুন جون հունիսի հունիս",
        "july jul juil juillet juli julio luglio lug julho juli lipiec lipca červenec července július júl júla iulie temmuz heinäkuu heinäkuuta korrik hulyo srpanj srpnja јул јула јули июль июля липня липень юли ιουλίου ιούλιος ιουλ يوليو جويلية تموز ژوئیه जुलाई જુલાઈ জুলাই جولائی հուլիսի հուլիս",
        "august aug août aout agosto ago augustus agustus sierpień sierpnia srpen srpna augusztus aug augusta ağustos agustos elokuu elokuuta gusht kolovoz kolovoza avgust август августа серпня серпень αυγούστου αύγουστος αυγ أغسطس اغسطس أوت آب اوت अगस्त ઓગસ્ટ আগস্ট اگست օգոստոսի օգոստոս",
        "september sep sept septembre septiembre settembre set setembro september wrzesień września září szeptember septembra septembrie eylül eylul syyskuu syyskuuta shtator setyembre rujan rujna septembar септембар септембра сентябрь сентября вересня вересень септември σεπτεμβρίου σεπτέμβριος σεπ سبتمبر سيبتمبر أيلول سپتامبر सितंबर सितम्बर સપ્ટેમ્બર সেপ্টেম্বর ستمبر սեպտեմբերի սեպտեմբեր",
        "october oct octobre octubre ottobre ott outubro out oktober okt październik października říjen října október októbra octombrie ekim lokakuu lokakuuta tetor oktubre oktobar октобар октобра октябрь октября жовтня жовтень октомври οκτωβρίου οκτώβριος οκτ أكتوبر اكتوبر تشرين_الأول اکتبر अक्टूबर अक्तूबर ઓક્ટોબર অক্টোবর اکتوبر հոկտեմբերի հոկտեմբեր",
        "november nov novembre noviembre novembro listopad listopada listopadu november novembra noiembrie kasım kasim marraskuu marraskuuta nëntor nentor nobyembre studeni studenoga novembar новембар новембра ноябрь ноября листопада листопад ноември νοεμβρίου νοέμβριος νοε نوفمبر نونبر تشرين_الثاني نوامبر नवंबर नवम्बर નવેમ્બર নভেম্বর نومبر նոյեմբերի նոյեմբեր",
        "december dec décembre decembre dez dezember diciembre dic dicembre dezembro desember desember grudzień grudnia prosinec prosince december decembra decembrie aralık aralik joulukuu joulukuuta dhjetor disyembre prosinac prosinca decembar децембар децембра декабрь декабря грудня грудень декември δεκεμβρίου δεκέμβριος δεκ ديسمبر دجنبر كانون_الأول دسامبر दिसंबर दिसम्बर ડિસેમ્બર ডিসেম্বর دسمبر դեկտեմբերի դեկտեմբեր",
    ];
    let mut map = HashMap::new();
    for (index, names) in TABLE.iter().enumerate() {
        let month = index as u32 + 1;
        for name in names.split_whitespace() {
            map.entry(name.trim_end_matches('.')).or_insert(month);
        }
    }
    map
});

/// The month a word names, in any of the known languages.
pub fn month_of(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    MONTHS.get(lower.as_str()).copied()
}

const WORD: &str = r"[\p{L}\p{M}]+\.?";

static WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    let day = r"(\d{1,2})(?:st|nd|rd|th|er|º|ª|\.)?";
    let pattern = format!(
        r"(?xi)
        (?P<iso>\b(?P<iy>\d{{4}})[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})\b)
      | (?P<cjk>(?P<cy>\d{{4}})\s*[年년]\s*(?P<cm>\d{{1,2}})\s*[月월]\s*(?P<cd>\d{{1,2}}))
      | (?P<dmy>\b(?P<dd>{day})\s*(?:de\s+|del\s+)?(?P<dm>{WORD}),?\s*(?:de\s+|del\s+|,\s*)?(?P<dy>\d{{4}})\b)
      | (?P<mdy>\b(?P<mm>{WORD})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}})\b)
      | (?P<ymd>\b(?P<yy>\d{{4}})\.?\s+(?P<ym>{WORD})\s+(?P<yd>\d{{1,2}})\b)
      | (?P<num>\b(?P<n1>\d{{1,2}})[-/.](?P<n2>\d{{1,2}})[-/.](?P<n3>\d{{4}}|\d{{2}})\b)
        "
    );
    Regex::new(&pattern).expect("static regex")
});

/// Finds the first written date in free text and returns it with its byte offset in `text`
/// (after digit normalisation; offsets refer to the normalised text).
pub fn find_written_date(text: &str, order: DayOrder) -> Option<(Stamp, usize)> {
    find_written_dates(text, order).next()
}

/// Every written date in free text, in order, with byte offsets into the digit-normalised text.
/// Lazy: the text is searched only as far as the caller reads.
pub fn find_written_dates(
    text: &str,
    order: DayOrder,
) -> impl Iterator<Item = (Stamp, usize)> + '_ {
    let text = ascii_digits(text);
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let caps = WRITTEN.captures_at(&text, from)?;
        let whole = caps.get(0)?;
        if whole.end() <= from {
            return None;
        }
        from = whole.end();
        if let Some(date) = date_from_captures(&caps, order).filter(|d| plausible(*d)) {
            return Some((Stamp::day(date), whole.start()));
        }
    })
}

fn date_from_captures(caps: &regex::Captures<'_>, order: DayOrder) -> Option<NaiveDate> {
    let get = |name: &str| caps.name(name).map(|m| m.as_str());
    if caps.name("iso").is_some() {
        return ymd(get("iy")?, get("im")?, get("id")?);
    }
    if caps.name("cjk").is_some() {
        return ymd(get("cy")?, get("cm")?, get("cd")?);
    }
    if caps.name("dmy").is_some() {
        let day: u32 = get("dd")?
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?;
        let month = month_of(get("dm")?)?;
        return NaiveDate::from_ymd_opt(get("dy")?.parse().ok()?, month, day);
    }
    if caps.name("mdy").is_some() {
        let month = month_of(get("mm")?)?;
        return NaiveDate::from_ymd_opt(get("my")?.parse().ok()?, month, get("md")?.parse().ok()?);
    }
    if caps.name("ymd").is_some() {
        let month = month_of(get("ym")?)?;
        return NaiveDate::from_ymd_opt(get("yy")?.parse().ok()?, month, get("yd")?.parse().ok()?);
    }
    if caps.name("num").is_some() {
        let first: u32 = get("n1")?.parse().ok()?;
        let second: u32 = get("n2")?.parse().ok()?;
        let year = year_of(get("n3")?)?;
        let month_first = match order {
            _ if first > 12 => false,
            _ if second > 12 => true,
            DayOrder::MonthFirst => true,
            DayOrder::DayFirst => false,
        };
        let (month, day) = if month_first {
            (first, second)
        } else {
            (second, first)
        };
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    None
}

static URL_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[/_-])((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:$|[^\d])",
    )
    .expect("static regex")
});

static URL_COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[/_-])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
        .expect("static regex")
});

/// A full date (year, month and day) written in a URL's path, such as `/2020/01/13/`,
/// `/2020-01-13-`, `-20200113-` or a path segment opening with `20200113`.
pub fn date_in_url(url: &str) -> Option<NaiveDate> {
    let path = match url::Url::parse(url) {
        Ok(parsed) => parsed.path().to_string(),
        Err(_) => url.to_string(),
    };
    if let Some(caps) = URL_YMD.captures(&path) {
        if let Some(date) = ymd(&caps[1], &caps[2], &caps[3]).filter(|d| plausible(*d)) {
            return Some(date);
        }
    }
    for caps in URL_COMPACT.captures_iter(&path) {
        if let Some(date) = ymd(&caps[1], &caps[2], &caps[3]).filter(|d| plausible(*d)) {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn machine_dates_keep_their_offset() {
        let stamp = parse_machine_date("2020-01-13T23:30:00-05:00", DayOrder::DayFirst);
        assert_eq!(
            stamp.map(|s| s.render()).as_deref(),
            Some("2020-01-13T23:30:00-05:00")
        );
        let stamp = parse_machine_date("2020-01-13 08:05:00+0100", DayOrder::DayFirst);
        assert_eq!(
            stamp.map(|s| s.render()).as_deref(),
            Some("2020-01-13T08:05:00+01:00")
        );
        let stamp = parse_machine_date("Mon, 13 Jan 2020 22:10:00 +0200", DayOrder::DayFirst);
        assert_eq!(
            stamp.map(|s| s.render()).as_deref(),
            Some("2020-01-13T22:10:00+02:00")
        );
        let stamp = parse_machine_date("2020-01-13T10:00:00", DayOrder::DayFirst);
        assert_eq!(stamp.map(|s| s.render()).as_deref(), Some("2020-01-13"));
        let stamp = parse_machine_date("20200113", DayOrder::DayFirst);
        assert_eq!(stamp.map(|s| s.date), Some(day(2020, 1, 13)));
    }

    #[test]
    fn written_dates_in_several_languages() {
        let cases = [
            ("Published January 13, 2020 at 5pm", day(2020, 1, 13)),
            ("13 January 2020", day(2020, 1, 13)),
            ("13. Januar 2020, 10:00 Uhr", day(2020, 1, 13)),
            ("lunes, 13 de enero de 2020", day(2020, 1, 13)),
            ("13 января 2020, 12:00", day(2020, 1, 13)),
            ("2020年1月13日", day(2020, 1, 13)),
            ("2020. augusztus 18.", day(2020, 8, 18)),
            ("18.08.2020 14:00", day(2020, 8, 18)),
            ("١٨/٠٨/٢٠٢٠", day(2020, 8, 18)),
        ];
        for (text, expected) in cases {
            let found = find_written_date(text, DayOrder::DayFirst).map(|(s, _)| s.date);
            assert_eq!(found, Some(expected), "{text}");
        }
    }

    #[test]
    fn numeric_order_follows_the_hint_only_when_ambiguous() {
        let us = find_written_date("03/04/2020", DayOrder::MonthFirst).map(|(s, _)| s.date);
        assert_eq!(us, Some(day(2020, 3, 4)));
        let eu = find_written_date("03/04/2020", DayOrder::DayFirst).map(|(s, _)| s.date);
        assert_eq!(eu, Some(day(2020, 4, 3)));
        let clear = find_written_date("25/04/2020", DayOrder::MonthFirst).map(|(s, _)| s.date);
        assert_eq!(clear, Some(day(2020, 4, 25)));
    }

    #[test]
    fn implausible_dates_are_refused() {
        assert!(find_written_date("31 February 2020", DayOrder::DayFirst).is_none());
        assert!(parse_machine_date("1970-01-01", DayOrder::DayFirst).is_none());
        assert!(parse_machine_date("2999-01-01", DayOrder::DayFirst).is_none());
    }

    #[test]
    fn dates_in_url_paths() {
        assert_eq!(
            date_in_url("https://example.com/news/2020/01/13/some-story.html"),
            Some(day(2020, 1, 13))
        );
        assert_eq!(
            date_in_url("https://example.com/news/20200316/story"),
            Some(day(2020, 3, 16))
        );
        assert_eq!(
            date_in_url("https://example.com/a/2020-4-15-16-5-0-story"),
            Some(day(2020, 4, 15))
        );
        assert_eq!(date_in_url("https://example.com/story/123456"), None);
    }
}
