/**
 * Shared test support, published in tap-io's test-jar for other modules' integration tests: network
 * namespaces with veth pairs ({@link org.vbgw.io.testing.Netns}) and test frames
 * ({@link org.vbgw.io.testing.TestFrames}).
 */
package org.vbgw.io.testing;
