package org.vbgw.perf.failover;

/**
 * One way of cutting VIF A's link and (where the gateway cannot see the cut itself) telling the gateway, so that
 * a measurement can run each the same way: traffic flowing, {@link #cut}, wait, {@link #restore}, wait.
 * <p>
 * A mode is one small class: {@link PortDown} (carrier loss), {@link RouteWithdrawn} (the agent re-learns every
 * prefix without A), {@link BfdSilenced} (the provider network goes silent on A, links up; the gateway's BFD
 * session with the customer router's BIRD detects it).
 * <p>
 * Called on the benchmark's thread, which is also the agent's (RIB and journal).
 */
interface FailureMode
{
    /** Short name for tables and JSON, e.g. {@code port-down}. */
    String name();

    /** Cuts path A; returns when the cut (and any repair the agent makes for it) has been handed over. */
    void cut(FailoverLab lab, FailoverGateway gateway);

    /** Heals path A and undoes the agent's repair; returns when that has been handed over. */
    void restore(FailoverLab lab, FailoverGateway gateway);

    /** How long the gateway may wait before it uses a restored path again (a hold-down), in ns. */
    long restoreDelayNs(FailoverGateway gateway);
}
