/**
 * Shared test support, published in tap-io's test-jar for other modules' integration tests: test frames
 * ({@link org.vbgw.io.testing.TestFrames}) and capability dropping. Namespaces and veth pairs are
 * {@link org.vbgw.io.lab.Netns}, in main code, so benchmarks and the lab use the same helper.
 */
package org.vbgw.io.testing;
