#include <hdf5.h>

// HDF5's type and property identifiers are macros over global variables that need
// H5open() first; Swift cannot import function-like macros, so they become functions.
static inline hid_t sequoia_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t sequoia_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t sequoia_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t sequoia_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t sequoia_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t sequoia_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t sequoia_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t sequoia_H5S_ALL(void) { return H5S_ALL; }
static inline unsigned sequoia_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned sequoia_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned sequoia_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline hsize_t sequoia_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
