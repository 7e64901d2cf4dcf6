/**
 * Pieces a namespace lab needs, built on ports: namespaces ({@link org.vbgw.io.lab.Netns}), a user-space VLAN
 * tagging shim ({@link org.vbgw.io.lab.VlanShim}) instead of 8021q devices, and sequenced, timestamped traffic
 * ({@link org.vbgw.io.lab.SequencedSender}, {@link org.vbgw.io.lab.SequencedReceiver}) whose lost sequence numbers
 * measure an outage. Nothing here knows about routing.
 */
package org.vbgw.io.lab;
