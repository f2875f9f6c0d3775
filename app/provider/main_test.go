package provider_test

import (
	"testing"

	"accountportal/models/modelstest"
)

func TestMain(m *testing.M) { modelstest.Main(m) }
