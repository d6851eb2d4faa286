package privatelink

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// pages is what every paginator of the EC2 SDK offers.
type pages[Out any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*ec2.Options)) (Out, error)
}

// eachItem calls each with every item of every page: EC2 may answer a
// page empty and still have more, so NextToken is followed to the end.
func eachItem[Out, T any](ctx context.Context, what string, p pages[Out], items func(Out) []T, each func(T)) error {
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describing %s: %w", what, err)
		}
		for _, item := range items(page) {
			each(item)
		}
	}
	return nil
}

// byID collects every item of every page by its ID.
func byID[Out, T any](ctx context.Context, what string, p pages[Out], items func(Out) []T, id func(T) *string) (map[string]T, error) {
	found := map[string]T{}
	err := eachItem(ctx, what, p, items, func(item T) { found[aws.ToString(id(item))] = item })
	return found, err
}

// filterOn is a filter on one field: the items with any of values. Asking
// for IDs this way leaves unknown ones out (see describeEndpoints).
func filterOn(name string, ids []string) []types.Filter {
	return []types.Filter{{Name: aws.String(name), Values: ids}}
}
