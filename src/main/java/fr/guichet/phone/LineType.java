package fr.guichet.phone;

/** What kind of line a number is, as far as the numbering plan tells. */
public enum LineType { MOBILE, FIXED_LINE, FIXED_LINE_OR_MOBILE, VOIP, OTHER }
