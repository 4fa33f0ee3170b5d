package dev.hanul.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Personal data found by pattern: e-mail addresses, phone numbers (international, North American and Korean
 * forms), payment card numbers that pass the Luhn check, US social security numbers (without the never-issued
 * areas 000, 666 and 9xx) and Korean resident registration numbers (valid date, and the check digit for numbers
 * issued before October 2020, after which it was dropped), and street addresses (Korean road-name addresses with
 * their city or district, US street addresses with a number and a street type).
 */
public final class PiiFinder {

    public enum Kind { EMAIL, PHONE, CARD, SSN, RRN, ADDRESS }

    /** What was found and where: {@code text.substring(start, end)}. */
    public record Found(Kind kind, int start, int end) {
    }

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![\\w-])");
    /** 13 to 19 digits together, or grouped as cards print them: 4-4-4-4(-3) or American Express's 4-6-5. */
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])(?:\\d{13,19}"
            + "|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{1,7}|\\d{4}([ -])\\d{6}\\2\\d{5})(?![\\d-])");
    private static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})-(\\d{2})-(\\d{4})(?![\\d-])");
    private static final Pattern RRN = Pattern.compile("(?<![\\d-])(\\d{2})(\\d{2})(\\d{2})-?([1-8])(\\d{6})(?![\\d-])");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w-])(?:"
            + "\\+\\d{1,3}[ .-]?\\(?\\d{1,4}\\)?(?:[ .-]?\\d{2,4}){2,3}"         // +82 10-1234-5678, +1 (415) 555 0100
            + "|\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}"                             // (415) 555-0100, 415.555.0100
            + "|0\\d{1,2}[ .-]\\d{3,4}[ .-]\\d{4}"                               // 010-1234-5678, 02-123-4567
            + ")(?![\\w-])");
    /**
     * A Korean road-name address: a city or province (optional), a district, a road and a building number, with an
     * optional unit; the district alone is not enough, a road with its number is what makes it an address.
     */
    private static final Pattern KOREAN_ADDRESS = Pattern.compile(
            "(?:[가-힣]{2,}(?:특별시|광역시|특별자치시|특별자치도|도|시)\\s+)?[가-힣]{1,}(?:구|군|시)\\s+"
            + "(?:[가-힣]{1,}(?:구|동|읍|면)\\s+)?[가-힣0-9]{1,}(?:로|길)\\s*\\d{1,4}(?:-\\d{1,4})?"
            + "(?:\\s*,?\\s*\\d{1,4}동)?(?:\\s*\\d{1,5}호)?");
    private static final Pattern US_ADDRESS = Pattern.compile(
            "\\b\\d{1,6}\\s+(?:[NSEW]\\.?\\s+)?(?:[A-Z][a-z]+\\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
            + "Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy)\\b\\.?"
            + "(?:,?\\s+(?:Apt|Suite|Unit|#)\\.?\\s*\\w{1,6})?");

    public List<Found> find(String text) {
        var found = new ArrayList<Found>();
        if (text == null || text.isEmpty()) {
            return found;
        }
        add(found, Kind.EMAIL, EMAIL.matcher(text), m -> true);
        add(found, Kind.RRN, RRN.matcher(text), PiiFinder::rrn);
        add(found, Kind.SSN, SSN.matcher(text), PiiFinder::ssn);
        add(found, Kind.CARD, CARD.matcher(text), m -> luhn(m.group().replaceAll("[ -]", "")));
        add(found, Kind.PHONE, PHONE.matcher(text), m -> m.group().replaceAll("\\D", "").length() >= 9);
        add(found, Kind.ADDRESS, KOREAN_ADDRESS.matcher(text), m -> true);
        add(found, Kind.ADDRESS, US_ADDRESS.matcher(text), m -> true);
        found.sort(java.util.Comparator.comparingInt(Found::start));
        return found;
    }

    private static void add(List<Found> found, Kind kind, Matcher matcher,
            java.util.function.Predicate<Matcher> valid) {
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            boolean overlaps = found.stream().anyMatch(f -> f.start() < end && start < f.end());
            if (!overlaps && valid.test(matcher)) {
                found.add(new Found(kind, start, end));
            }
        }
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static boolean ssn(Matcher m) {
        int area = Integer.parseInt(m.group(1));
        return area != 0 && area != 666 && area < 900 && !m.group(2).equals("00") && !m.group(3).equals("0000");
    }

    /** A real date of birth; the check digit must hold unless the number may be from after October 2020. */
    private static boolean rrn(Matcher m) {
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return false;
        }
        String digits = m.group(1) + m.group(2) + m.group(3) + m.group(4) + m.group(5);
        int[] weights = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * weights[i];
        }
        int check = (11 - sum % 11) % 10;
        int gender = m.group(4).charAt(0) - '0';
        int year = Integer.parseInt(m.group(1)) + (gender <= 2 || gender == 5 || gender == 6 ? 1900 : 2000);
        return check == digits.charAt(12) - '0' || year >= 2020;
    }
}
