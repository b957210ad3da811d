package io.painjournal.catalogue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fixed technique catalogue of API.md section 1, in the contract's order. */
public final class Catalogue {

    public static final String PROFESSIONAL = "professional";
    public static final String SELF_CARE = "self-care";

    public static final List<Technique> TECHNIQUES = List.of(
            new Technique("swedish", "Swedish massage", PROFESSIONAL, Provider.PROFESSIONAL),
            new Technique("deep-tissue", "Deep-tissue massage", PROFESSIONAL, Provider.PROFESSIONAL),
            new Technique("trigger-point", "Trigger-point therapy", PROFESSIONAL, Provider.PROFESSIONAL),
            new Technique("shiatsu", "Shiatsu", PROFESSIONAL, Provider.PROFESSIONAL),
            new Technique("thai", "Thai massage", PROFESSIONAL, Provider.PROFESSIONAL),
            new Technique("self-trigger-point", "Self trigger-point pressure", SELF_CARE, Provider.SELF),
            new Technique("tennis-ball", "Tennis-ball technique", SELF_CARE, Provider.SELF),
            new Technique("bath-ball", "Ball in a hot bath", SELF_CARE, Provider.SELF),
            new Technique("trigger-point-platform", "Trigger-point self-treatment platform", SELF_CARE, Provider.SELF),
            new Technique("partner", "Massage from a partner", SELF_CARE, Provider.PARTNER),
            new Technique("melt", "MELT method (foam roller and ball)", SELF_CARE, Provider.SELF));

    private static final Map<String, Technique> BY_ID = new LinkedHashMap<>();

    static {
        TECHNIQUES.forEach(t -> BY_ID.put(t.id(), t));
    }

    private Catalogue() {}

    public static Optional<Technique> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    public static boolean contains(String id) {
        return BY_ID.containsKey(id);
    }
}
