/** The request header the edge (ingress GeoIP) sets to the scanner's region, e.g. X-Geo-Region: CN-SH. */
export const SCAN_REGION_HEADER = Symbol('SCAN_REGION_HEADER');
