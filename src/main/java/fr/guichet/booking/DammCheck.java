package fr.guichet.booking;

/** Damm's check digit: catches every single-digit error and every swap of two adjacent digits. */
final class DammCheck {
    private static final int[][] TABLE = {
        {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
        {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
        {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
        {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
        {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
        {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
        {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
        {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
        {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
        {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
    };

    private DammCheck() {}

    static char checkDigit(String digits) {
        return (char) ('0' + interim(digits));
    }

    static boolean isValid(String digitsWithCheck) {
        return interim(digitsWithCheck) == 0;
    }

    private static int interim(String digits) {
        int state = 0;
        for (int i = 0; i < digits.length(); i++) {
            state = TABLE[state][digits.charAt(i) - '0'];
        }
        return state;
    }
}
