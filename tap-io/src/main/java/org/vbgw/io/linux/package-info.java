/**
 * The Linux ports and their JNR-FFI bindings: AF_PACKET rings, TAP, rtnetlink link state, interface and
 * ethtool ioctls. Six-argument native functions are never bound directly (JNR-FFI 2.2.17 garbles the sixth
 * argument); see {@link org.vbgw.io.linux.LibC}.
 */
package org.vbgw.io.linux;
