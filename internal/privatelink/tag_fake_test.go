package privatelink

import (
	"context"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// tagFake is a fakeEC2 holding endpoints whose tags CreateTags and
// DeleteTags change, as EC2 does. Scripted deleteTags or createTags answer
// first; a nil error from them lets the call through.
type tagFake struct {
	fakeEC2
	eps        map[string]types.VpcEndpoint
	createTags func(ids []string, tags []types.Tag) error
	// hide leaves the endpoints it returns true for out of the describe
	// call numbered call (EC2 lagging behind a create, or a flicker).
	hide func(id string, call int) bool
}

func newTagFake() *tagFake {
	f := &tagFake{eps: map[string]types.VpcEndpoint{}}
	f.deleteTags = func([]string) error { return nil }
	f.describeEndpoints = func(ids []string) ([]types.VpcEndpoint, error) {
		call := f.callCount("DescribeVpcEndpoints")
		f.mu.Lock()
		defer f.mu.Unlock()
		var out []types.VpcEndpoint
		for _, id := range slices.Sorted(maps.Keys(f.eps)) {
			if (len(ids) == 0 || slices.Contains(ids, id)) && (f.hide == nil || !f.hide(id, call)) {
				out = append(out, f.eps[id])
			}
		}
		return out, nil
	}
	return f
}

func (f *tagFake) endpoint(id string) types.VpcEndpoint {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.eps[id]
}

func withTag(tags []types.Tag, key string, value *string) []types.Tag {
	var out []types.Tag
	for _, t := range tags {
		if aws.ToString(t.Key) != key {
			out = append(out, t)
		}
	}
	if value != nil {
		out = append(out, types.Tag{Key: aws.String(key), Value: value})
	}
	return out
}

func (f *tagFake) CreateTags(_ context.Context, in *ec2.CreateTagsInput, _ ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error) {
	f.count("CreateTags")
	if f.createTags != nil {
		if err := f.createTags(in.Resources, in.Tags); err != nil {
			return nil, err
		}
	}
	return &ec2.CreateTagsOutput{}, f.retag(in.Resources, in.Tags, false)
}

func (f *tagFake) DeleteTags(ctx context.Context, in *ec2.DeleteTagsInput, opts ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error) {
	if _, err := f.fakeEC2.DeleteTags(ctx, in, opts...); err != nil {
		return nil, err
	}
	return &ec2.DeleteTagsOutput{}, f.retag(in.Resources, in.Tags, true)
}

// retag applies a tag call; one unknown endpoint fails it all, as on EC2.
func (f *tagFake) retag(ids []string, tags []types.Tag, remove bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		if _, ok := f.eps[id]; !ok {
			return apiError(codeEndpointNotFound, "The VpcEndpoint Id '"+id+"' does not exist")
		}
	}
	for _, id := range ids {
		ep := f.eps[id]
		for _, t := range tags {
			if remove {
				ep.Tags = withTag(ep.Tags, aws.ToString(t.Key), nil)
			} else {
				ep.Tags = withTag(ep.Tags, aws.ToString(t.Key), t.Value)
			}
		}
		f.eps[id] = ep
	}
	return nil
}

func (f *tagFake) DeleteVpcEndpoints(_ context.Context, in *ec2.DeleteVpcEndpointsInput, _ ...func(*ec2.Options)) (*ec2.DeleteVpcEndpointsOutput, error) {
	f.count("DeleteVpcEndpoints")
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range in.VpcEndpointIds {
		if ep, ok := f.eps[id]; ok {
			ep.State = "deleted"
			f.eps[id] = ep
		}
	}
	return &ec2.DeleteVpcEndpointsOutput{}, nil
}
