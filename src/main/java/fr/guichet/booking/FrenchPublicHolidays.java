package fr.guichet.booking;

import java.time.LocalDate;
import java.time.Month;
import java.util.Set;
import java.util.TreeSet;

/**
 * The eleven public holidays of metropolitan France (Code du travail, L. 3133-1), computed for any year: the fixed
 * dates plus Easter Monday, Ascension Thursday and Whit Monday, derived from Easter Sunday. Good Friday and
 * 26 December are holidays only in Alsace-Moselle, not in Isère, so they are not included.
 */
public final class FrenchPublicHolidays {
    private FrenchPublicHolidays() {}

    public static boolean isHoliday(LocalDate day) {
        return of(day.getYear()).contains(day);
    }

    public static Set<LocalDate> of(int year) {
        LocalDate easter = easterSunday(year);
        Set<LocalDate> days = new TreeSet<>();
        days.add(LocalDate.of(year, Month.JANUARY, 1));
        days.add(easter.plusDays(1)); // lundi de Pâques
        days.add(LocalDate.of(year, Month.MAY, 1));
        days.add(LocalDate.of(year, Month.MAY, 8));
        days.add(easter.plusDays(39)); // Ascension
        days.add(easter.plusDays(50)); // lundi de Pentecôte
        days.add(LocalDate.of(year, Month.JULY, 14));
        days.add(LocalDate.of(year, Month.AUGUST, 15));
        days.add(LocalDate.of(year, Month.NOVEMBER, 1));
        days.add(LocalDate.of(year, Month.NOVEMBER, 11));
        days.add(LocalDate.of(year, Month.DECEMBER, 25));
        return Set.copyOf(days);
    }

    /** Gregorian Easter Sunday (anonymous algorithm of Meeus, Jones and Butcher). */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }
}
