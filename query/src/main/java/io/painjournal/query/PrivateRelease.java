package io.painjournal.query;

/**
 * An answer computed from bounded contributions and not yet released: {@link #publish} adds noise calibrated to
 * {@code epsilon}. The api spends the researcher's budget between the two, so a request that is refused, or
 * whose computation failed, spends nothing. Each call draws fresh noise: publish once per spend.
 */
public interface PrivateRelease<T> {

    /** The mechanism's name, as the answer's {@code privacy.mechanism} states it. */
    String mechanism();

    T publish(double epsilon);
}
