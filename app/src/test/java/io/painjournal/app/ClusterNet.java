package io.painjournal.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite's own network: a bridge in this (root) namespace with the address {@link #GATEWAY}, and one
 * network namespace per host, joined to the bridge by a veth pair, with its address on its side only. Faults
 * are made inside a host's namespace (iptables) or on its link, so nothing outside the suite is touched.
 * {@link #close} removes every namespace and the bridge; {@link #sweep} removes what a killed earlier run left.
 */
final class ClusterNet implements AutoCloseable {

    static final String PREFIX = "pjf";
    static final String BRIDGE = PREFIX + "br0";
    static final String SUBNET = "10.231.0";
    static final String GATEWAY = SUBNET + ".1";

    /** One host: its namespace, the root side of its link, its address. */
    record Host(String name, String namespace, String link, String address) {}

    private final List<Host> hosts = new ArrayList<>();

    private ClusterNet() {}

    /** True where this process may make namespaces and iptables rules (root, iproute2 and iptables installed). */
    static boolean available() {
        try {
            if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/sbin/iptables"))) {
                return false;
            }
            run(List.of("ip", "netns", "list")); // throws where iproute2 is missing
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Makes the bridge and the hosts, {@code SUBNET.<10 + i>} for the i-th name (1-based). */
    static ClusterNet create(List<String> names) {
        sweep();
        ClusterNet net = new ClusterNet();
        try {
            sh("ip link add " + BRIDGE + " type bridge");
            sh("ip addr add " + GATEWAY + "/24 dev " + BRIDGE);
            sh("ip link set " + BRIDGE + " up");
            int i = 10;
            for (String name : names) {
                Host h = new Host(name, PREFIX + "-" + name, PREFIX + "v-" + name, SUBNET + "." + (++i));
                net.hosts.add(h);
                sh("ip netns add " + h.namespace());
                sh("ip link add " + h.link() + " type veth peer name eth0 netns " + h.namespace());
                sh("ip link set " + h.link() + " master " + BRIDGE + " up");
                inNs(h, "ip addr add " + h.address() + "/24 dev eth0");
                inNs(h, "ip link set eth0 up");
                inNs(h, "ip link set lo up");
            }
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    Host host(String name) {
        return hosts.stream()
                .filter(h -> h.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name));
    }

    /** The command, run inside the host's namespace. */
    static List<String> inNamespace(Host h, List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", h.namespace()));
        c.addAll(command);
        return c;
    }

    /** Drops every packet between the host and each of {@code peers} (both directions, in its namespace). */
    void cut(Host h, List<Host> peers) {
        for (Host p : peers) {
            inNs(h, "iptables -A INPUT -s " + p.address() + " -j DROP");
            inNs(h, "iptables -A OUTPUT -d " + p.address() + " -j DROP");
        }
    }

    /** Drops a share of the packets the host receives and sends. */
    void loss(Host h, double probability) {
        inNs(h, "iptables -A INPUT -m statistic --mode random --probability " + probability + " -j DROP");
        inNs(h, "iptables -A OUTPUT -m statistic --mode random --probability " + probability + " -j DROP");
    }

    /** Removes every rule of the host's namespace. */
    void heal(Host h) {
        inNs(h, "iptables -F");
    }

    void linkDown(Host h) {
        sh("ip link set " + h.link() + " down");
    }

    void linkUp(Host h) {
        sh("ip link set " + h.link() + " up");
    }

    @Override
    public void close() {
        for (Host h : hosts) {
            quietly("ip netns del " + h.namespace());
        }
        quietly("ip link del " + BRIDGE);
        hosts.clear();
    }

    /** Removes namespaces, links and the bridge of the suite left by an earlier run that was killed. */
    static void sweep() {
        for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
            String ns = line.split(" ")[0].trim();
            if (ns.startsWith(PREFIX + "-")) {
                quietly("ip netns del " + ns);
            }
        }
        quietly("ip link del " + BRIDGE);
    }

    private static void inNs(Host h, String command) {
        sh("ip netns exec " + h.namespace() + " " + command);
    }

    private static void quietly(String command) {
        try {
            sh(command);
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    private static void sh(String command) {
        run(List.of(command.split(" ")));
    }

    /** Runs a command to its end; its output, or an exception with it when it fails. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
