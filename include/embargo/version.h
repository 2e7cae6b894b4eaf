/*
 * embargo version numbers. Bumped on release; EMB_VERSION_NUM compares as an integer.
 */
#ifndef EMBARGO_VERSION_H
#define EMBARGO_VERSION_H

#define EMB_VERSION_MAJOR 0
#define EMB_VERSION_MINOR 1
#define EMB_VERSION_PATCH 0
#define EMB_VERSION_STRING "0.1.0"
#define EMB_VERSION_NUM                                                                            \
    ((EMB_VERSION_MAJOR * 10000) + (EMB_VERSION_MINOR * 100) + EMB_VERSION_PATCH)

#endif
