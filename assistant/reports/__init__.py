"""Reports up the chain (信息报送): 首报, 续报 and 终报 drafted from what is recorded, held to a cited deadline."""
