// SPDX-License-Identifier: GPL-2.0
/*
 * What "config create" tells the user. A device tree has hundreds of nodes
 * the root cell needs nothing for (pin control, clocks, regulators); a line
 * for each would bury the few things the user has to act on (no debug
 * console, CPUs that do not start through PSCI, devices hidden by the RAM
 * given). So there are two kinds of message:
 *   - details, one line per node: printed only with -v, counted otherwise;
 *   - actions: grouped by topic and printed after everything else, one line
 *     per topic with the nodes it concerns.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config-create.h"

#define MAX_TOPICS		16
#define TOPIC_LEN		200
#define ITEMS_LEN		400

int cc_verbose;
static unsigned int n_details;

static struct {
	char topic[TOPIC_LEN];
	char items[ITEMS_LEN];
	unsigned int n_items, n_shown;
} actions[MAX_TOPICS];
static unsigned int n_actions;

void cc_reset_report(void)
{
	n_details = 0;
	n_actions = 0;
}

unsigned int cc_details(void)
{
	return n_details;
}

void cc_detail(const char *fmt, ...)
{
	va_list ap;

	n_details++;
	if (!cc_verbose)
		return;
	fputs(CC_PREFIX, stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cc_action(const char *item, const char *fmt, ...)
{
	char topic[TOPIC_LEN];
	unsigned int i;
	size_t used;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(topic, sizeof(topic), fmt, ap);
	va_end(ap);
	if (cc_verbose)
		fprintf(stderr, CC_PREFIX "%s%s%s\n", item ? item : "", item ? ": " : "", topic);
	for (i = 0; i < n_actions; i++)
		if (strcmp(actions[i].topic, topic) == 0)
			break;
	if (i == n_actions) {
		if (n_actions == MAX_TOPICS)
			i = MAX_TOPICS - 1;	/* the last one collects the rest */
		else
			n_actions++;
		snprintf(actions[i].topic, TOPIC_LEN, "%s", topic);
		actions[i].items[0] = 0;
		actions[i].n_items = 0;
		actions[i].n_shown = 0;
	}
	if (!item)
		return;
	/* Names while they fit, then a count: "a, b, c and 12 more". */
	used = strlen(actions[i].items);
	if (used + strlen(item) + 3 < ITEMS_LEN - 24) {
		snprintf(actions[i].items + used, ITEMS_LEN - used, "%s%s", used ? ", " : "", item);
		actions[i].n_shown++;
	}
	actions[i].n_items++;
}

void cc_report_actions(void)
{
	unsigned int i;

	if (n_details && !cc_verbose)
		fprintf(stderr, CC_PREFIX "%u device tree nodes need nothing or cannot be assigned (-v lists them)\n",
			n_details);
	for (i = 0; i < n_actions; i++) {
		unsigned int shown = actions[i].n_shown;

		if (!actions[i].n_items)
			fprintf(stderr, CC_PREFIX "to act on: %s\n", actions[i].topic);
		else if (shown < actions[i].n_items)
			fprintf(stderr, CC_PREFIX "to act on: %s: %s and %u more\n", actions[i].topic,
				actions[i].items, actions[i].n_items - shown);
		else
			fprintf(stderr, CC_PREFIX "to act on: %s: %s\n", actions[i].topic,
				actions[i].items);
	}
}
