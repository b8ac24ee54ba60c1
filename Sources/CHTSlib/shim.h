#include <htslib/hts.h>
#include <htslib/faidx.h>
#include <htslib/bgzf.h>
#include <htslib/hfile.h>
