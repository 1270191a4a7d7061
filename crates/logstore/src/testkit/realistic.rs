//! A generator of log traffic with the shape of real system logs (issue 14): dozens of
//! templates drawn with a skewed frequency, source IPs, user names and hosts drawn from
//! Zipf distributions over large pools (so a few recur very often and most are rare),
//! Chinese lines in UTF-8 and GBK, 30 days of timestamps, and planted *needles* whose exact
//! counts are known (1, 100, 10,000 and 1,000,000 per 10M events, scaled to the run).
//! Deterministic: the same (events, seed) gives the same bytes.

use super::Rng;

/// A planted needle: a token that occurs in exactly `count` lines, each also matching
/// `phrase` (a case-sensitive substring, the query `"…"`).
#[derive(Debug, Clone)]
pub struct Needle {
    pub term: &'static str,
    pub phrase: &'static str,
    /// Occurrences per 10M events that `count` is scaled from.
    pub per_10m: u64,
    pub count: u64,
}

const NEEDLES: [(&str, &str, u64); 4] = [
    ("needle1x", "invalid user needle1x from", 1),
    ("needle100x", "invalid user needle100x from", 100),
    ("needle10kx", "invalid user needle10kx from", 10_000),
    ("needle1mx", "invalid user needle1mx from", 1_000_000),
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Sampling from a Zipf distribution over ranks `0..n` (rank k has weight 1/(k+1)^s).
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (0..n)
            .map(|k| {
                acc += 1.0 / ((k + 1) as f64).powf(s);
                acc
            })
            .collect();
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }
    fn sample(&self, r: &mut Rng) -> usize {
        let u = (r.next() >> 11) as f64 / (1u64 << 53) as f64;
        self.cdf
            .partition_point(|c| *c < u)
            .min(self.cdf.len().saturating_sub(1))
    }
}

/// The generator; call [`Realistic::line`] for events `0..events` in order.
pub struct Realistic {
    rng: Rng,
    events: u64,
    step_ms: i64,
    start: jiff::civil::DateTime,
    users: Vec<String>,
    user_z: Zipf,
    ext_z: Zipf,
    int_z: Zipf,
    hosts: Vec<String>,
    host_z: Zipf,
    template_z: Zipf,
    /// Needle planted at each event: 0 = none, k = `needles[k - 1]`.
    planted: Vec<u8>,
    needles: Vec<Needle>,
}

const COMMON_USERS: [&str; 24] = [
    "root",
    "admin",
    "oracle",
    "test",
    "ubuntu",
    "user",
    "postgres",
    "git",
    "deploy",
    "guest",
    "mysql",
    "ftpuser",
    "zhangsan",
    "lisi",
    "wangwu",
    "backup",
    "jenkins",
    "hadoop",
    "nagios",
    "www-data",
    "support",
    "pi",
    "administrator",
    "dev",
];
const SYLLABLES: [&str; 16] = [
    "zhang", "wang", "li", "zhao", "chen", "liu", "yang", "huang", "wu", "zhou", "xu", "sun", "ma",
    "zhu", "hu", "guo",
];

impl Realistic {
    pub fn new(events: u64, seed: u64) -> Realistic {
        let mut users: Vec<String> = COMMON_USERS.iter().map(|s| s.to_string()).collect();
        for k in 0..20_000usize {
            let (a, b) = (SYLLABLES[k % 16], SYLLABLES[(k / 16) % 16]);
            users.push(format!("{a}{b}{}", k / 256));
        }
        let mut hosts = Vec::new();
        for (prefix, n) in [("web", 60), ("app", 60), ("db", 20), ("gw", 8), ("dn", 40)] {
            for k in 1..=n {
                hosts.push(format!("{prefix}{k:02}"));
            }
        }
        let mut g = Realistic {
            rng: Rng(seed | 1),
            events,
            step_ms: (30 * 86_400_000) / events.max(1) as i64,
            start: jiff::civil::date(2026, 10, 26).at(0, 0, 0, 0),
            user_z: Zipf::new(users.len(), 1.1),
            users,
            ext_z: Zipf::new(200_000, 1.05),
            int_z: Zipf::new(4_096, 0.9),
            host_z: Zipf::new(hosts.len(), 1.0),
            hosts,
            template_z: Zipf::new(TEMPLATES, 0.9),
            planted: vec![0; events as usize],
            needles: Vec::new(),
        };
        g.plant(seed);
        g
    }

    /// Choose each needle's events (rarest first, never two on one event).
    fn plant(&mut self, seed: u64) {
        let mut r = Rng(seed.rotate_left(17) ^ 0x5851_f42d_4c95_7f2d);
        let n = self.events;
        for (k, (term, phrase, per)) in NEEDLES.iter().enumerate() {
            let want = ((per * n + 5_000_000) / 10_000_000).max(1).min(n / 8);
            let mut placed = 0;
            while placed < want {
                let i = (r.next() % n.max(1)) as usize;
                if self.planted.get(i) == Some(&0) {
                    self.planted[i] = k as u8 + 1;
                    placed += 1;
                }
            }
            self.needles.push(Needle {
                term,
                phrase,
                per_10m: *per,
                count: placed,
            });
        }
    }

    pub fn needles(&self) -> &[Needle] {
        &self.needles
    }

    fn user(&mut self) -> String {
        let k = self.user_z.sample(&mut self.rng);
        self.users[k].clone()
    }
    fn host(&mut self) -> String {
        let k = self.host_z.sample(&mut self.rng);
        self.hosts[k].clone()
    }
    /// An external address: rank k maps to a fixed, scattered IPv4 address.
    fn ext_ip(&mut self) -> String {
        let k = self.ext_z.sample(&mut self.rng) as u64;
        let h = (k + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
        format!(
            "{}.{}.{}.{}",
            1 + (h >> 24) % 223,
            (h >> 16) & 255,
            (h >> 8) & 255,
            h & 255
        )
    }
    fn int_ip(&mut self) -> String {
        let k = self.int_z.sample(&mut self.rng) as u64;
        format!("10.{}.{}.{}", k >> 10, (k >> 2) & 255, 2 + (k * 37) % 250)
    }
    fn num(&mut self, m: u64) -> u64 {
        self.rng.next() % m
    }

    /// The raw bytes of event `i` (events must be asked for in order for the timestamps to
    /// grow; any order is deterministic).
    pub fn line(&mut self, i: u64) -> Vec<u8> {
        let t = self
            .start
            .checked_add(jiff::Span::new().milliseconds(self.step_ms * i as i64))
            .unwrap_or(self.start);
        let bsd = format!(
            "{} {:>2} {:02}:{:02}:{:02}",
            MONTHS[(t.month() as usize).saturating_sub(1) % 12],
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        let iso = t.strftime("%Y-%m-%dT%H:%M:%S%.3f+08:00").to_string();
        let pid = 1000 + self.num(60_000);
        let port = 1024 + self.num(64_000);
        if let Some(k) = self.planted.get(i as usize).copied().filter(|k| *k > 0) {
            let term = self.needles[k as usize - 1].term;
            let (host, ip) = (self.host(), self.ext_ip());
            return format!("<38>{bsd} {host} sshd[{pid}]: Failed password for invalid user {term} from {ip} port {port} ssh2").into_bytes();
        }
        let template = self.template_z.sample(&mut self.rng);
        if template == GBK_TEMPLATE {
            let (src, dst) = (self.int_ip(), self.ext_ip());
            let rule =
                ["默认拒绝", "外网访问控制", "高危端口", "境外地址封禁"][self.num(4) as usize];
            let l = format!(
                "<12>{bsd} fw01 防火墙: 源地址 {src} 访问 {dst} 端口 {} 被拒绝，策略 {rule}",
                [22, 3389, 445, 1433][self.num(4) as usize]
            );
            return encoding_rs::GBK.encode(&l).0.into_owned();
        }
        self.text(template, &bsd, &iso, pid, port, i).into_bytes()
    }
}

const TEMPLATES: usize = 34;
const GBK_TEMPLATE: usize = 9;

impl Realistic {
    fn text(
        &mut self,
        template: usize,
        bsd: &str,
        iso: &str,
        pid: u64,
        port: u64,
        i: u64,
    ) -> String {
        let host = self.host();
        match template {
            0 => { let (u, ip) = (self.user(), self.ext_ip()); format!("<38>{bsd} {host} sshd[{pid}]: Failed password for {u} from {ip} port {port} ssh2") }
            1 => { let (u, ip) = (self.user(), self.ext_ip()); format!("<38>{bsd} {host} sshd[{pid}]: Invalid user {u} from {ip} port {port}") }
            2 => { let code = 200 + 100 * (self.num(10) / 7); let (ip, n) = (self.ext_ip(), self.num(100_000)); format!("<134>1 {iso} {host}.example.cn nginx {pid} ACCESS - {ip} - - \"GET /api/v1/orders/{n} HTTP/1.1\" {code} {} \"-\" \"Mozilla/5.0\"", self.num(20_000)) }
            3 => { let (ip, dst) = (self.ext_ip(), self.int_ip()); format!("<4>{bsd} {host} kernel: [{}.{:06}] IPTABLES-DROP: IN=eth0 OUT= SRC={ip} DST={dst} LEN=60 TTL={} ID={} DF PROTO=TCP SPT={port} DPT={} SYN", i / 50, self.num(1_000_000), 40 + self.num(24), self.num(65_535), [22, 23, 445, 3389, 80][self.num(5) as usize]) }
            4 => { let u = self.user(); format!("<38>{bsd} {host} sshd[{pid}]: pam_unix(sshd:session): session opened for user {u} by (uid=0)") }
            5 => { let (u, ip) = (self.user(), self.int_ip()); format!("<38>{bsd} {host} sshd[{pid}]: Accepted publickey for {u} from {ip} port {port} ssh2: RSA SHA256:{:x}", self.num(1 << 40)) }
            6 => { let u = self.user(); format!("<85>{bsd} {host} sudo: {u} : TTY=pts/{} ; PWD=/home/{u} ; USER=root ; COMMAND=/usr/bin/systemctl restart {}", self.num(9), ["nginx", "mysqld", "docker", "sshd"][self.num(4) as usize]) }
            7 => format!("<78>{bsd} {host} CRON[{pid}]: (root) CMD (/usr/lib/sa/sa1 1 1)"),
            8 => { let (ip, u) = (self.ext_ip(), self.user()); format!("<14>1 {iso} {host}.example.cn auth-svc {pid} LOGIN - 用户 {u} 登录失败，原因：密码错误，来源 {ip}") }
            // 9 is the GBK firewall line (see `line`).
            10 => { let blk = self.num(1 << 62) as i64 - (1 << 61); let ip = self.int_ip(); format!("<14>{bsd} {host} hadoop-hdfs-datanode: INFO dfs.DataNode$DataXceiver: Receiving block blk_{blk} src: /{ip}:{port} dest: /{ip}:50010") }
            11 => { let blk = self.num(1 << 62) as i64 - (1 << 61); format!("<14>{bsd} {host} hadoop-hdfs-datanode: INFO dfs.DataNode$PacketResponder: PacketResponder {} for block blk_{blk} terminating", self.num(3)) }
            12 => { let (ip, u) = (self.ext_ip(), self.user()); format!("<134>{bsd} {host} apache2: {ip} - {u} [{}] \"POST /wp-login.php HTTP/1.1\" {} {} \"-\" \"python-requests/2.31\"", &iso[..19], [200, 302, 403][self.num(3) as usize], self.num(9000)) }
            13 => format!("<11>{bsd} {host} nginx: {} [error] {pid}#0: *{} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {}, server: api.example.cn", &iso[..19], self.num(1 << 30), self.ext_ip()),
            14 => { let (u, ip) = (self.user(), self.ext_ip()); format!("<13>{bsd} WIN-DC01 MSWinEventLog 1 Security {} 4625 Microsoft-Windows-Security-Auditing An account failed to log on. Account Name: {u} Failure Reason: Unknown user name or bad password. Source Network Address: {ip} Source Port: {port}", self.num(1 << 20)) }
            15 => { let u = self.user(); format!("<13>{bsd} WIN-DC01 MSWinEventLog 1 Security {} 4624 Microsoft-Windows-Security-Auditing An account was successfully logged on. Account Name: {u} Logon Type: 3", self.num(1 << 20)) }
            16 => format!("<11>{bsd} bgl-{host} RAS: {} R{:02}-M{}-N{}-C:J{:02}-U{:02} RAS KERNEL INFO {} ddr error(s) detected and corrected on rank 0, symbol {}, bit {}", 1_117_838_570 + i, self.num(64), self.num(2), self.num(16), self.num(18), self.num(12), self.num(8), self.num(64), self.num(8)),
            17 => format!("<10>{bsd} bgl-{host} RAS: {} R{:02}-M{}-N{} RAS KERNEL FATAL data TLB error interrupt", 1_117_838_570 + i, self.num(64), self.num(2), self.num(16)),
            18 => { let u = self.user(); format!("<14>1 {iso} {host}.example.cn payment {pid} AUDIT - 用户 {u} 支付订单 {} 成功，金额 {}.{:02} 元", self.num(10_000_000), self.num(5000), self.num(100)) }
            19 => format!("<11>1 {iso} {host}.example.cn order-svc {pid} DB - 数据库连接超时，重试第 {} 次，目标 {}:3306", 1 + self.num(3), self.int_ip()),
            20 => format!("<30>{bsd} {host} systemd[1]: Started Session {} of user {}.", self.num(100_000), self.user()),
            21 => format!("<22>{bsd} {host} postfix/smtpd[{pid}]: connect from unknown[{}]", self.ext_ip()),
            22 => format!("<19>{bsd} {host} postfix/smtpd[{pid}]: NOQUEUE: reject: RCPT from unknown[{}]: 554 5.7.1 Relay access denied; proto=ESMTP", self.ext_ip()),
            23 => format!("<189>{}: *{bsd}: %SEC-6-IPACCESSLOGP: list 110 denied tcp {}({port}) -> {}(22), 1 packet", i % 100_000, self.ext_ip(), self.int_ip()),
            24 => format!("<166>{bsd} gw0{}: %ASA-6-302013: Built inbound TCP connection {} for outside:{}/{port} ({}/{port}) to inside:{}/443 (10.0.0.8/443)", 1 + self.num(4), self.num(1 << 31), self.ext_ip(), self.ext_ip(), self.int_ip()),
            25 => format!("<30>{bsd} {host} dhcpd[{pid}]: DHCPACK on {} to {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x} via eth1", self.int_ip(), self.num(256), self.num(256), self.num(256), self.num(256), self.num(256), self.num(256)),
            26 => format!("<30>{bsd} {host} named[{pid}]: client @0x7f{:08x} {}#{port} (www.example.cn): query: www.example.cn IN A + ({})", self.num(1 << 32), self.ext_ip(), self.int_ip()),
            27 => format!("<3>{bsd} {host} kernel: EXT4-fs error (device sda{}): ext4_find_entry:1455: inode #{}: comm {}: reading directory lblock 0", 1 + self.num(4), self.num(10_000_000), ["java", "nginx", "python3"][self.num(3) as usize]),
            28 => format!("<2>{bsd} {host} kernel: Out of memory: Killed process {pid} ({}) total-vm:{}kB, anon-rss:{}kB", ["java", "mysqld", "python3"][self.num(3) as usize], self.num(1 << 24), self.num(1 << 22)),
            29 => format!("<14>1 {iso} {host}.example.cn kubelet {pid} - - I1110 {} {pid} kubelet.go:2145] \"SyncLoop (PLEG): event for pod\" pod=\"default/api-{:x}\"", &iso[11..23], self.num(1 << 24)),
            30 => format!("<12>1 {iso} {host}.example.cn mysqld {pid} SLOW - # Query_time: {}.{:06} Lock_time: 0.000{:03} Rows_sent: {} Rows_examined: {}", self.num(30), self.num(1_000_000), self.num(1000), self.num(500), self.num(5_000_000)),
            31 => format!("<86>{bsd} {host} su[{pid}]: pam_unix(su:auth): authentication failure; logname={} uid=1000 euid=0 tty=pts/{} ruser={} rhost=  user=root", self.user(), self.num(9), self.user()),
            32 => format!("<14>1 {iso} {host}.example.cn gateway {pid} ACCESS - 接口 /api/v2/用户/{} 调用成功 耗时 {}ms 客户端 {}", self.num(100_000), self.num(3000), self.int_ip()),
            _ => format!("<38>{bsd} {host} sshd[{pid}]: Disconnected from authenticating user {} {} port {port} [preauth]", self.user(), self.ext_ip()),
        }
    }
}
