package io.userhub.shared.identity;

import java.security.SecureRandom;
import java.util.List;
import java.util.random.RandomGenerator;

/** Readable random names for users who gave none, as HelpCrunch does ("Giant Duck (anonym)"). */
public final class DisplayNames {
    private DisplayNames() {}

    private static final List<String> ADJECTIVES = List.of(
            "Giant", "Colored", "Quiet", "Brave", "Lucky", "Swift", "Gentle", "Clever", "Sunny", "Misty",
            "Golden", "Silver", "Happy", "Calm", "Bold", "Tiny", "Witty", "Jolly", "Noble", "Cosmic");
    private static final List<String> ANIMALS = List.of(
            "Duck", "Leopard", "Otter", "Falcon", "Panda", "Fox", "Heron", "Lynx", "Koala", "Badger",
            "Dolphin", "Raven", "Tiger", "Walrus", "Gecko", "Bison", "Puffin", "Marten", "Ibis", "Yak");
    private static final RandomGenerator RANDOM = new SecureRandom();

    public static String random() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + " " + ANIMALS.get(RANDOM.nextInt(ANIMALS.size()));
    }

    public static String anonymous() {
        return random() + " (anonym)";
    }
}
