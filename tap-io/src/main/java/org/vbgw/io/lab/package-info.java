/**
 * Pieces a namespace lab needs that the kernel here lacks, built on ports: a user-space VLAN tagging shim
 * ({@link org.vbgw.io.lab.VlanShim}) instead of 8021q devices. L2 only; nothing here knows about routing.
 */
package org.vbgw.io.lab;
