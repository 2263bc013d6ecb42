// SPDX-License-Identifier: GPL-2.0
/*
 * TCP transfer over IPv6 (link-local addresses need the interface), for the
 * ivshmem-net tests and the link's benchmark.
 *
 *   ivnet-xfer serve PORT [discard]
 *       Accepts connections forever. Each one: receive until EOF into
 *       /tmp/ivnet-rx, then answer one line "BYTES SHA256" (the checksum by
 *       busybox sha256sum of what arrived) and close. With "discard" the
 *       data is only counted (answer "BYTES -"): for throughput.
 *   ivnet-xfer send ADDR IFACE PORT FILE
 *       Sends FILE, half-closes, reads the answer and prints
 *       "sent BYTES bytes in SECONDS s: MB/s MB/s; peer got: BYTES SHA256".
 *   ivnet-xfer blast ADDR IFACE PORT MIB
 *       The same with MIB MiB of a fixed pattern from memory (no file).
 *   ivnet-xfer netns IFACE PID
 *       Moves IFACE into the network namespace of process PID (what
 *       "ip link set IFACE netns PID" does; busybox's ip cannot).
 *   ivnet-xfer rxcsum IFACE on|off
 *       Switches the interface's receive checksum offload ("ethtool -K
 *       IFACE rx on|off"; busybox has no ethtool). With it off, ivshmem-net
 *       leaves every checksum to the stack, which then verifies what the
 *       peer sent, as behind Jailhouse's receiver.
 * Exit status 0 when the peer's byte count equals what was sent.
 */
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RX_FILE "/tmp/ivnet-rx"
#define CHUNK (64 * 1024)

static char buf[CHUNK];

static int fail(const char *what)
{
	fprintf(stderr, "ivnet-xfer: %s: %s\n", what, strerror(errno));
	return 1;
}

static int serve(int port, int discard)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int one = 1, s = socket(AF_INET6, SOCK_STREAM, 0);

	if (s < 0)
		return fail("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (void *)&a, sizeof(a)) || listen(s, 4))
		return fail("bind/listen");
	for (;;) {
		char line[256] = "", cmd[64];
		unsigned long long total = 0;
		ssize_t n;
		FILE *f, *p;
		int c = accept(s, NULL, NULL);

		if (c < 0)
			continue;
		f = discard ? NULL : fopen(RX_FILE, "w");
		while ((n = read(c, buf, sizeof(buf))) > 0) {
			total += n;
			if (f)
				fwrite(buf, 1, n, f);
		}
		if (f)
			fclose(f);
		snprintf(cmd, sizeof(cmd), "sha256sum " RX_FILE);
		p = discard ? NULL : popen(cmd, "r");
		if (discard)
			strcpy(line, "-");
		if (p) {
			if (!fgets(line, sizeof(line), p))
				line[0] = 0;
			pclose(p);
		}
		line[strcspn(line, " \n")] = 0;
		n = snprintf(buf, sizeof(buf), "%llu %s\n", total, line);
		if (write(c, buf, n) != n)
			perror("ivnet-xfer: answer");
		close(c);
		unlink(RX_FILE);
	}
}

static int send_data(const char *addr, const char *ifname, int port, FILE *f,
		     unsigned long long blast)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	unsigned long long sent = 0, got = 0;
	struct timespec t0, t1;
	char answer[256] = "";
	double secs;
	ssize_t n;
	int s;

	if (inet_pton(AF_INET6, addr, &a.sin6_addr) != 1) {
		fprintf(stderr, "ivnet-xfer: '%s' is not an IPv6 address\n", addr);
		return 2;
	}
	a.sin6_scope_id = if_nametoindex(ifname);
	if (!a.sin6_scope_id)
		return fail(ifname);
	s = socket(AF_INET6, SOCK_STREAM, 0);
	if (s < 0)
		return fail("socket");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (connect(s, (void *)&a, sizeof(a)))
		return fail("connect");
	for (;;) {
		size_t len;

		if (f) {
			len = fread(buf, 1, sizeof(buf), f);
			if (!len)
				break;
		} else {
			if (sent >= blast)
				break;
			len = blast - sent < sizeof(buf) ? blast - sent : sizeof(buf);
		}
		for (size_t off = 0; off < len; off += n) {
			n = write(s, buf + off, len - off);
			if (n <= 0)
				return fail("write");
		}
		sent += len;
	}
	shutdown(s, SHUT_WR);
	n = read(s, answer, sizeof(answer) - 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n > 0)
		answer[n] = 0;
	answer[strcspn(answer, "\n")] = 0;
	close(s);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("sent %llu bytes in %.3f s: %.2f MB/s; peer got: %s\n", sent, secs,
	       sent / secs / 1e6, answer);
	got = strtoull(answer, NULL, 10);
	return got == sent ? 0 : 1;
}

static int move_netns(const char *ifname, int pid)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		struct rtattr rta;
		unsigned int pid;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_NEWLINK,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
		.ifi = { .ifi_family = AF_UNSPEC },
		.rta = { .rta_len = RTA_LENGTH(sizeof(unsigned int)), .rta_type = IFLA_NET_NS_PID },
	};
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

	req.ifi.ifi_index = if_nametoindex(ifname);
	req.pid = pid;
	if (!req.ifi.ifi_index)
		return fail(ifname);
	if (s < 0 || send(s, &req, sizeof(req), 0) != sizeof(req))
		return fail("netlink");
	if (recv(s, &ack, sizeof(ack), 0) < (ssize_t)sizeof(ack))
		return fail("netlink ack");
	if (ack.nh.nlmsg_type == NLMSG_ERROR && ack.err.error) {
		errno = -ack.err.error;
		return fail("RTM_NEWLINK");
	}
	return 0;
}

static int set_rxcsum(const char *ifname, int on)
{
	struct ethtool_value v = { .cmd = ETHTOOL_SRXCSUM, .data = on };
	struct ifreq ifr = { .ifr_data = (void *)&v };
	int s = socket(AF_INET6, SOCK_DGRAM, 0);

	if (s < 0)
		return fail("socket");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(s, SIOCETHTOOL, &ifr))
		return fail("SIOCETHTOOL ETHTOOL_SRXCSUM");
	v.cmd = ETHTOOL_GRXCSUM;
	if (ioctl(s, SIOCETHTOOL, &ifr))
		return fail("SIOCETHTOOL ETHTOOL_GRXCSUM");
	close(s);
	if (!v.data != !on) {
		fprintf(stderr, "ivnet-xfer: %s: rx checksumming stayed %s\n", ifname,
			v.data ? "on" : "off");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "rxcsum"))
		return set_rxcsum(argv[2], !strcmp(argv[3], "on"));
	if (argc == 4 && !strcmp(argv[1], "netns"))
		return move_netns(argv[2], atoi(argv[3]));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]), argc == 4 && !strcmp(argv[3], "discard"));
	if (argc == 6 && !strcmp(argv[1], "send")) {
		FILE *f = fopen(argv[5], "r");

		if (!f)
			return fail(argv[5]);
		return send_data(argv[2], argv[3], atoi(argv[4]), f, 0);
	}
	if (argc == 6 && !strcmp(argv[1], "blast")) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)(i * 7 + 1);
		return send_data(argv[2], argv[3], atoi(argv[4]), NULL,
				 strtoull(argv[5], NULL, 0) << 20);
	}
	fprintf(stderr, "usage: ivnet-xfer serve PORT [discard] | send ADDR IFACE PORT FILE | blast ADDR IFACE PORT MIB | netns IFACE PID | rxcsum IFACE on|off\n");
	return 2;
}
