/** Event-log entries the sample machines write: Windows event logs and Linux syslog-style sources. */
import type { OsType } from './os-profiles.js';

export type EventLevel = 1 | 2 | 4;

export interface EventTemplate {
  osType: OsType;
  /** 1 error, 2 warning, 4 information — as the reference numbers them. */
  level: EventLevel;
  eventLog: string;
  source: string;
  eventId: number;
  description: string;
  userName: string;
}

export const eventLevelNames: Record<EventLevel, string> = { 1: 'error', 2: 'warning', 4: 'information' };

const wuc = 'Microsoft-Windows-WindowsUpdateClient';
const scm = 'Service Control Manager';
const system = 'NT AUTHORITY\\SYSTEM';

function win(level: EventLevel, eventLog: string, source: string, eventId: number, description: string, userName = ''): EventTemplate {
  return { osType: 'Windows', level, eventLog, source, eventId, description, userName };
}

function lin(level: EventLevel, source: string, description: string): EventTemplate {
  return { osType: 'Linux', level, eventLog: 'syslog', source, eventId: 0, description, userName: '' };
}

export const eventTemplates: readonly EventTemplate[] = [
  win(1, 'System', wuc, 20, 'Installation Failure: Windows failed to install the following update with error 0x80070643: Security Update.', system),
  win(1, 'System', wuc, 20, 'Installation Failure: Windows failed to install the following update with error 0x800f0922: Cumulative Update.', system),
  win(1, 'System', scm, 7031, 'The Windows Update service terminated unexpectedly. It has done this 1 time(s). The following corrective action will be taken in 60000 milliseconds: Restart the service.'),
  win(1, 'System', scm, 7034, 'The Microsoft Monitoring Agent service terminated unexpectedly. It has done this 2 time(s).'),
  win(1, 'System', 'Schannel', 36887, 'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.'),
  win(1, 'Application', 'Application Error', 1000, 'Faulting application name: w3wp.exe, version: 10.0.17763.1, faulting module name: ntdll.dll, exception code: 0xc0000374.'),
  win(2, 'System', 'Microsoft-Windows-DNS-Client', 1014, 'Name resolution for the name wsus01.contoso.com timed out after none of the configured DNS servers responded.'),
  win(2, 'System', wuc, 16, 'Unable to Connect: Windows is unable to connect to the automatic updates service and therefore cannot download and install updates according to the set schedule.', system),
  win(2, 'System', 'Microsoft-Windows-Time-Service', 129, 'NtpClient was unable to set a domain peer to use as a time source because of discovery error.'),
  win(4, 'System', wuc, 19, 'Installation Successful: Windows successfully installed the following update: Security Intelligence Update for Microsoft Defender Antivirus - KB2267602.', system),
  win(4, 'System', wuc, 43, 'Installation Started: Windows has started installing the following update: Security Intelligence Update for Microsoft Defender Antivirus - KB2267602.', system),
  win(4, 'System', scm, 7036, 'The Windows Modules Installer service entered the running state.'),
  win(4, 'System', scm, 7040, 'The start type of the Background Intelligent Transfer Service service was changed from demand start to auto start.', system),
  win(4, 'System', 'EventLog', 6013, 'The system uptime is 864213 seconds.'),
  win(4, 'Application', 'MSSQLSERVER', 17137, "Starting up database 'tempdb'."),
  lin(1, 'kernel', 'Out of memory: Killed process 2113 (java) total-vm:8215532kB, anon-rss:3923212kB'),
  lin(1, 'systemd', 'nginx.service: Main process exited, code=exited, status=1/FAILURE'),
  lin(1, 'apt', 'E: Sub-process /usr/bin/dpkg returned an error code (1)'),
  lin(1, 'sshd', 'error: kex_exchange_identification: Connection closed by remote host'),
  lin(2, 'kernel', 'EXT4-fs warning (device sda1): ext4_dx_add_entry: Directory index full!'),
  lin(2, 'systemd-resolved', 'Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.0.0.2.'),
  lin(2, 'sshd', 'Failed password for invalid user admin from 203.0.113.17 port 52144 ssh2'),
  lin(4, 'systemd', 'Started Daily apt upgrade and clean activities.'),
  lin(4, 'CRON', '(root) CMD (test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily ))'),
  lin(4, 'sshd', 'Accepted publickey for azureuser from 10.0.0.4 port 50122 ssh2'),
  lin(4, 'omsagent', 'Heartbeat sent to workspace.'),
];
