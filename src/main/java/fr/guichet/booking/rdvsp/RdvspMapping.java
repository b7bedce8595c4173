package fr.guichet.booking.rdvsp;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Guichet sites and procedures ↔ the backend's lieux, organisations and motifs, checked once at start-up. Keys are
 * read without case and with dots as underscores, so {@code APP_RDVSP_MOTIFS_AES_VIE_PRIVEE=102} (which Spring
 * binds as {@code aes.vie.privee}) names the procedure {@code AES_VIE_PRIVEE}.
 */
final class RdvspMapping {
    /** Where one procedure is booked at one site. */
    record Target(String site, long lieuId, long organisationId, long motifId) {}

    private record Site(String code, long lieuId, long organisationId, Map<String, Long> motifs) {}

    private final Map<String, Site> sites = new HashMap<>();
    private final Map<Long, String> siteByLieu = new HashMap<>();

    RdvspMapping(RdvspProperties properties) {
        Map<String, Long> common = codes(properties.motifs());
        Map<String, RdvspProperties.SiteMapping> given = properties.sites() == null ? Map.of() : properties.sites();
        if (given.isEmpty()) throw new IllegalStateException("app.rdvsp.sites: map at least one Guichet site to a lieu");
        given.forEach((rawCode, mapping) -> {
            String code = code(rawCode);
            if (mapping == null || mapping.lieuId() == null || mapping.lieuId() <= 0 || mapping.lieuId() >= SlotIds.MAX_LIEU) {
                throw new IllegalStateException("app.rdvsp.sites." + code + ".lieu-id: a positive number below " + SlotIds.MAX_LIEU);
            }
            Long organisation = mapping.organisationId() != null ? mapping.organisationId() : properties.organisationId();
            if (organisation == null) {
                throw new IllegalStateException("app.rdvsp.organisation-id or app.rdvsp.sites." + code + ".organisation-id is needed");
            }
            Map<String, Long> motifs = new HashMap<>(common);
            motifs.putAll(codes(mapping.motifs()));
            if (siteByLieu.putIfAbsent(mapping.lieuId(), code) != null) {
                throw new IllegalStateException("app.rdvsp.sites: lieu " + mapping.lieuId() + " is mapped to two sites");
            }
            sites.put(code, new Site(code, mapping.lieuId(), organisation, Map.copyOf(motifs)));
        });
    }

    private static String code(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static Map<String, Long> codes(Map<String, Long> raw) {
        Map<String, Long> out = new HashMap<>();
        if (raw != null) raw.forEach((k, v) -> out.put(code(k), v));
        return out;
    }

    Optional<Target> target(String site, String procedure) {
        Site s = site == null ? null : sites.get(site);
        if (s == null || procedure == null) return Optional.empty();
        Long motif = s.motifs().get(procedure);
        return motif == null ? Optional.empty() : Optional.of(new Target(s.code(), s.lieuId(), s.organisationId(), motif));
    }

    Optional<String> siteOfLieu(long lieuId) {
        return Optional.ofNullable(siteByLieu.get(lieuId));
    }

    boolean knowsSite(String site) {
        return sites.containsKey(site);
    }

    /** Sites where the procedure can be booked, in code order (stable). */
    List<Target> targets(String procedure) {
        return sites.keySet().stream().sorted().map(code -> target(code, procedure)).flatMap(Optional::stream).toList();
    }

    /** An organisation for creating users (the first site's). */
    long anyOrganisation() {
        return sites.values().stream().sorted(java.util.Comparator.comparing(Site::code)).findFirst().orElseThrow().organisationId();
    }
}
