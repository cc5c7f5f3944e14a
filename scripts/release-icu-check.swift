// scripts/release.sh links this against the trimmed ICU data (release-icu-trim.py) and compares its output with
// what the full data gives (the expected lines in release.sh, seen with the untrimmed lib_FoundationICU.a): dates,
// time zones, formats and English names that reconcile's Foundation calls rest on still work.
import Foundation

let date = Date(timeIntervalSince1970: 1_765_000_000)
print(ISO8601DateFormatter().string(from: date))
let formatter = DateFormatter()
formatter.locale = Locale(identifier: "en_US_POSIX")
formatter.timeZone = TimeZone(identifier: "Europe/Paris")
formatter.dateFormat = "EEEE d MMMM yyyy HH:mm zzz"
print(formatter.string(from: date))
print(String(format: "%.2f %@", 3.14159, "x"))
print(Date(timeIntervalSince1970: 0).addingTimeInterval(86_400 * 365).description)
print(TimeZone(identifier: "America/New_York")!.secondsFromGMT(for: date))
print(date.formatted(.iso8601))
print(Calendar(identifier: .gregorian).component(.weekday, from: date))
print(1234567.891.formatted(.number.locale(Locale(identifier: "en_US"))))
