package org.vbgw.agent.config;

import java.util.List;

/**
 * A VPC attached to the gateway (seed 000 "VPC attachment", seed 002 "virtual gateway"): the port
 * facing the VPC and the VPC's CIDR blocks, at most 50 (seed 002).
 */
public record VpcAttachment(String path, String name, String port, List<CidrBlock> vpcCidrs, String description)
{
}
