/* SPDX-License-Identifier: GPL-2.0 */
/* test.h - what every cmocka test of migscope includes. */
#ifndef MS_TEST_H
#define MS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

/*
 * The JSON document json must be valid against the verb's JSON Schema,
 * $MS_SCHEMA_DIR/migscope-NAME.schema.json, by $MS_VALIDATE
 * (tests/validate-json.py); the test fails otherwise, also when the
 * validator is not set up (a check that did not run is not a pass).
 */
static inline void assert_schema(const char *json, const char *name)
{
	const char *dir = getenv("MS_SCHEMA_DIR"), *val = getenv("MS_VALIDATE");
	char path[] = "/tmp/migscope-schema-XXXXXX", *cmd = NULL;
	size_t len = strlen(json);
	int fd, rc;

	if (!dir || !val)
		fail_msg("MS_SCHEMA_DIR and MS_VALIDATE are not set: cannot validate %s JSON",
			 name);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, json, len), (ssize_t)len);
	close(fd);
	assert_true(asprintf(&cmd, "'%s' '%s/migscope-%s.schema.json' '%s'",
			     val, dir, name, path) > 0);
	rc = system(cmd);
	free(cmd);
	unlink(path);
	if (rc)
		fail_msg("%s JSON does not match migscope-%s.schema.json (see above)",
			 name, name);
}

#endif /* MS_TEST_H */
