package fr.guichet.conversation;

/** Where a turn comes from; flows may have per-channel variants of a node. */
public enum Channel { SMS, VOICE }
