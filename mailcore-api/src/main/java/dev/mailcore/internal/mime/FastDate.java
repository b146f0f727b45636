package dev.mailcore.internal.mime;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Parses the one date shape nearly all mail uses, {@code [Tue, ]14 May 2024 09:31:07 +0200
 * [(CEST)]}, without a DateTimeFormatter (which costs more than the rest of the header).
 * Anything else returns null and goes to the lenient formatter. Stateless.
 */
final class FastDate {
  private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

  private FastDate() {}

  static Instant parse(String s) {
    int n = s.length();
    int i = 0;
    // optional day of week: three letters and a comma
    if (n > 5 && Character.isLetter(s.charAt(0))) {
      if (s.charAt(3) != ',') {
        return null;
      }
      i = 4;
    }
    i = skipSpaces(s, i);
    int dayStart = i;
    int day = 0;
    while (i < n && isDigit(s.charAt(i)) && i - dayStart < 2) {
      day = day * 10 + (s.charAt(i++) - '0');
    }
    if (i == dayStart || i >= n || s.charAt(i) != ' ') {
      return null;
    }
    i = skipSpaces(s, i);
    if (i + 3 > n) {
      return null;
    }
    int month = MONTHS.indexOf(s.substring(i, i + 3).toLowerCase(java.util.Locale.ROOT));
    if (month < 0 || month % 3 != 0) {
      return null;
    }
    month = month / 3 + 1;
    i = skipSpaces(s, i + 3);
    int yearStart = i;
    int year = 0;
    while (i < n && isDigit(s.charAt(i))) {
      year = year * 10 + (s.charAt(i++) - '0');
    }
    if (i - yearStart != 4) {
      return null; // two-digit and odd years: leave them to the lenient parser
    }
    i = skipSpaces(s, i);
    if (i + 5 > n || s.charAt(i + 2) != ':') {
      return null;
    }
    int hour = twoDigits(s, i);
    int minute = twoDigits(s, i + 3);
    i += 5;
    int second = 0;
    if (i + 3 <= n && s.charAt(i) == ':') {
      second = twoDigits(s, i + 1);
      i += 3;
    }
    if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 60) {
      return null;
    }
    i = skipSpaces(s, i);
    if (i + 5 > n) {
      return null;
    }
    char sign = s.charAt(i);
    if (sign != '+' && sign != '-') {
      return null;
    }
    int oh = twoDigits(s, i + 1);
    int om = twoDigits(s, i + 3);
    if (oh < 0 || om < 0 || om > 59 || (i + 5 < n && s.charAt(i + 5) != ' ')) {
      return null;
    }
    int offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86400 + hour * 3600 + minute * 60
          + Math.min(second, 59) - offset);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int twoDigits(String s, int i) {
    if (i + 2 > s.length()) {
      return -1;
    }
    char a = s.charAt(i);
    char b = s.charAt(i + 1);
    return isDigit(a) && isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
