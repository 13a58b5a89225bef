/* SPDX-License-Identifier: GPL-2.0 */
/* test.h - what every cmocka test of migscope includes. */
#ifndef MS_TEST_H
#define MS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util.h"

#endif /* MS_TEST_H */
