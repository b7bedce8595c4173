package fr.guichet.booking;

import java.time.Duration;

/**
 * A procedure of the catalogue, by stable code ({@code AES_SALARIE}, {@code RECEPISSE_RENOUVELLEMENT}…).
 * {@code anef} procedures are filed online: they get an appointment at the point d'accueil numérique
 * ({@code panProcedure}), never a dead end. Names and document lists are texts in {@code locales/}
 * under {@code procedure.<code>.name} and {@code procedure.<code>.documents}.
 */
public record Procedure(String code, boolean anef, Duration duration, boolean workerMayBook, boolean renewal, String panProcedure) {}
