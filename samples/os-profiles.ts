/** The operating systems of the sample fleet and what each reports about itself. */
export type OsType = 'Windows' | 'Linux';

export interface OsProfile {
  /** Catalogue family: the machines of one family share one update catalogue. */
  family: string;
  osType: OsType;
  /** Heartbeat OSName / Update OSName. */
  osName: string;
  osMajorVersion: string;
  osMinorVersion: string;
  /** Update OSVersion / UpdateSummary OsVersion. */
  osVersion: string;
  osFullName: string;
  agentVersion: string;
  /** How common the OS is in the fleet (relative weight). */
  weight: number;
}

function windows(year: string, edition: string, family: string, major: string, minor: string, build: string, weight: number): OsProfile {
  const name = `Windows Server ${year} ${edition}`;
  return {
    family,
    osType: 'Windows',
    osName: name,
    osMajorVersion: major,
    osMinorVersion: minor,
    osVersion: `${major}.${minor}.${build}`,
    osFullName: `Microsoft ${name}`,
    agentVersion: '10.20.18067.0',
    weight,
  };
}

function linux(osName: string, major: string, minor: string, fullName: string, family: string, weight: number): OsProfile {
  return {
    family,
    osType: 'Linux',
    osName,
    osMajorVersion: major,
    osMinorVersion: minor,
    osVersion: minor === '' ? major : `${major}.${minor}`,
    osFullName: fullName,
    agentVersion: '1.19.0-0',
    weight,
  };
}

export const windowsProfiles: readonly OsProfile[] = [
  windows('2012 R2', 'Datacenter', 'ws2012r2', '6', '3', '9600', 1),
  windows('2012 R2', 'Standard', 'ws2012r2', '6', '3', '9600', 1),
  windows('2016', 'Datacenter', 'ws2016', '10', '0', '14393', 2),
  windows('2016', 'Standard', 'ws2016', '10', '0', '14393', 1),
  windows('2019', 'Datacenter', 'ws2019', '10', '0', '17763', 3),
  windows('2019', 'Standard', 'ws2019', '10', '0', '17763', 2),
  windows('2022', 'Datacenter', 'ws2022', '10', '0', '20348', 3),
  windows('2022', 'Standard', 'ws2022', '10', '0', '20348', 2),
];

export const linuxProfiles: readonly OsProfile[] = [
  linux('Ubuntu', '20', '04', 'Ubuntu 20.04.6 LTS', 'ubuntu-20.04', 2),
  linux('Ubuntu', '22', '04', 'Ubuntu 22.04.4 LTS', 'ubuntu-22.04', 4),
  linux('Debian', '11', '', 'Debian GNU/Linux 11 (bullseye)', 'debian-11', 1),
  linux('Debian', '12', '', 'Debian GNU/Linux 12 (bookworm)', 'debian-12', 2),
  linux('Red Hat Enterprise Linux', '8', '9', 'Red Hat Enterprise Linux 8.9 (Ootpa)', 'rhel-8', 1.5),
  linux('Red Hat Enterprise Linux', '9', '4', 'Red Hat Enterprise Linux 9.4 (Plow)', 'rhel-9', 2),
  linux('SUSE Linux Enterprise Server', '15', '5', 'SUSE Linux Enterprise Server 15 SP5', 'sles-15', 1),
];

/** The Windows Server 2019 Datacenter profile: the named sample machine runs it. */
export function windowsServer2019Datacenter(): OsProfile {
  const profile = windowsProfiles.find((p) => p.osName === 'Windows Server 2019 Datacenter');
  if (!profile) throw new Error('the Windows Server 2019 Datacenter profile is missing');
  return profile;
}
