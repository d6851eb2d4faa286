package bench

import (
	"fmt"
	"os"

	"github.com/engflow/terraform-provider-engflow/internal/acctest"
)

func printSeq(cs acctest.Calls) {
	if os.Getenv("BENCH_SEQ") == "" {
		return
	}
	t0 := 0.0
	for _, c := range cs.FromProvider("ec2") {
		if t0 == 0 {
			t0 = c.Time
		}
		fmt.Fprintf(os.Stderr, "  %6.2f %s %s %v\n", c.Time-t0, c.Action, c.ErrorCode, c.Params)
	}
}
