/** Capture files as ports: classic pcap written, pcap and pcapng read. */
package org.vbgw.io.pcap;
